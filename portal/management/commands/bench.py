"""`make bench`: build a large synthetic council in a scratch database and time every page type."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from portal import bench, bench_packs


class Command(BaseCommand):
    help = "Benchmark the pages on a large synthetic council. Only runs on a database whose name contains 'bench'."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=10, help="Times each page type's URLs are fetched.")
        parser.add_argument("--output", help="Also write the results table (Markdown) to this file.")
        parser.add_argument("--reuse", action="store_true", help="Time the data already built, do not rebuild.")
        parser.add_argument(
            "--report-rounds", type=int, default=3, help="Times each report pack format is drawn (PDFs take seconds)."
        )
        parser.add_argument(
            "--packs-only", action="store_true", help="Time the report packs only (with --reuse: on the data built)."
        )

    def handle(self, *args, rounds, report_rounds=3, output=None, reuse=False, packs_only=False, **options):
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(f"Refusing to fill {name!r} with synthetic data: use a database named *bench*.")
        size = bench.Size()
        if not reuse:
            call_command("migrate", verbosity=0)
            call_command("load_luton", verbosity=0)
            self.stdout.write(
                f"Building {size.indicators} indicators, {size.years} years of quarterly figures, "
                f"{size.partners} partners, {size.plans} plans on {connection.vendor} ..."
            )
            bench.build(size)
        lines = [
            f"Pages on {connection.vendor}: {size.indicators} indicators, {size.years} years of quarterly figures "
            f"(with breakdowns), {size.partners} partners, {size.plans} plans; {rounds} rounds.",
            "",
            "| page | p50 ms | p95 ms | queries | first after a change ms |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        if packs_only:
            lines = self._packs(report_rounds)
        else:
            lines += self._pages(rounds)
            lines += self._packs(report_rounds)
        report = "\n".join(lines)
        self.stdout.write(report)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(report + "\n")

    def _pages(self, rounds: int) -> list[str]:
        lines = []
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            public, member = bench.Client(), bench.member_client()
            for page, urls in bench.page_types().items():
                lines.append(self._row(page, bench.measure(public, urls, rounds=rounds)))
            lines.append(self._row("members' dashboard", bench.measure(member, ["/dashboard/"], rounds=rounds)))
        return lines

    def _packs(self, rounds: int) -> list[str]:
        """Each format of each report pack, until the file is ready (portal/bench_packs.py)."""
        lines = [
            "",
            f"Report packs on {connection.vendor}, until the file is ready; {rounds} rounds. A PDF of a plan naming "
            f"more than {settings.LUTON_PACK_BACKGROUND_INDICATORS} indicators is drawn by the task worker "
            "(reports/background.py). CPU time (this process's, the worker's included) is less moved than the wall "
            "clock by other programs sharing the machine.",
            "",
            "| report pack | format | drawn in | p50 s | p95 s | CPU s | queries |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: |",
        ]
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            client = bench.Client()
            for whose, url in bench_packs.pack_urls().items():
                for format_name, suffix in bench_packs.FORMATS:
                    drawn = bench_packs.measure_file(client, url + suffix, rounds=rounds)
                    lines.append(
                        f"| {whose} | {format_name} | {drawn.where} | {drawn.p50:.2f} | {drawn.p95:.2f} "
                        f"| {drawn.cpu:.2f} | {drawn.queries} |"
                    )
        return lines

    @staticmethod
    def _row(page: str, result: tuple[float, float, int, float]) -> str:
        p50, p95, queries, cold = result
        return f"| {page} | {p50:.0f} | {p95:.0f} | {queries} | {cold:.0f} |"
