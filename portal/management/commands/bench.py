"""`make bench`: build a large synthetic council in a scratch database and time every page type."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from portal import bench


class Command(BaseCommand):
    help = "Benchmark the pages on a large synthetic council. Only runs on a database whose name contains 'bench'."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=10, help="Times each page type's URLs are fetched.")
        parser.add_argument("--output", help="Also write the results table (Markdown) to this file.")
        parser.add_argument("--reuse", action="store_true", help="Time the data already built, do not rebuild.")
        parser.add_argument(
            "--report-rounds", type=int, default=3, help="Times each report pack format is fetched (PDFs take seconds)."
        )

    def handle(self, *args, rounds, report_rounds=3, output=None, reuse=False, **options):
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
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            public, member = bench.Client(), bench.member_client()
            for page, urls in bench.page_types().items():
                lines.append(self._row(page, bench.measure(public, urls, rounds=rounds)))
            lines.append(self._row("members' dashboard", bench.measure(member, ["/dashboard/"], rounds=rounds)))
            for report, urls in bench.report_types().items():
                lines.append(self._row(report, bench.measure(public, urls, rounds=report_rounds)))
        report = "\n".join(lines)
        self.stdout.write(report)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(report + "\n")

    @staticmethod
    def _row(page: str, result: tuple[float, float, int, float]) -> str:
        p50, p95, queries, cold = result
        return f"| {page} | {p50:.0f} | {p95:.0f} | {queries} | {cold:.0f} |"
