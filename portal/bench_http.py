"""`make bench`, through a real server: the public pages and the members' dashboard served by gunicorn
with production settings (the page cache on, as deployed), each public page timed beside a static file
of exactly its bytes served by WhiteNoise from the same server in the same run.

Speed is a ratio against that reference, never a single absolute time: this machine is shared and
noisy. What it checks (issue 13): published public pages within 2× the static file; the members'
dashboard's p95 for each filter; and the first public request after an officer's draft save, which
must be as fast as any other (a draft does not move the publication version).
"""

import contextlib
import gzip
import http.client
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.test import Client, override_settings

from indicators.models import Indicator, PeriodKind, ReportingPeriod, Return
from plans.models import Plan
from portal import bench, bench_imports
from returns import actions

STATIC_DIR = "bench-pages"  # under STATIC_ROOT, removed afterwards


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


class Server:
    """gunicorn serving this project on a free port, against the database this process uses."""

    def __init__(self, **env: str) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None
        self.env = env  # on top of this process's environment (DATABASE_URL, HOME...)

    def start(self) -> None:
        env = {
            **os.environ,
            **self.env,
            "LUTON_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_BEHIND_PROXY": "1",  # the bench plays the TLS-ending proxy: X-Forwarded-Proto: https
        }
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [gunicorn, "--config", "luton_plan/gunicorn.conf.py", "luton_plan.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if self.get("/healthz")[0] in (200, 503):
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start within a minute")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def get(self, path: str, *, cookie: str = "") -> tuple[int, float, int]:
        """Status, milliseconds to the last byte, bytes received; as a browser would ask (gzip)."""
        headers = {"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        if cookie:
            headers["Cookie"] = cookie
        started = time.perf_counter()
        response, body = self.fetch(path, headers)
        return response.status, (time.perf_counter() - started) * 1000, len(body)

    def fetch(self, path: str, headers: dict[str, str]) -> tuple[http.client.HTTPResponse, bytes]:
        """One GET on a connection of its own (gunicorn's synchronous workers close each one)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


@contextlib.contextmanager
def _static_copies(pages: dict[str, str]) -> Iterator[dict[str, str]]:
    """Each page's bytes (as an anonymous visitor gets them) as a static file, gzipped beside it as
    WhiteNoise serves compressed files: the reference for that page."""
    root = Path(settings.STATIC_ROOT) / STATIC_DIR
    root.mkdir(parents=True, exist_ok=True)
    copies = {}
    visitor = Client(HTTP_HOST="127.0.0.1")  # the host the server is asked for, so absolute links match
    try:
        for name, url in pages.items():
            with override_settings(ALLOWED_HOSTS=["127.0.0.1"]):
                response = visitor.get(url, secure=True)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            file_name = f"{len(copies)}.html" if not url.startswith("/api/") else f"{len(copies)}.json"
            (root / file_name).write_bytes(response.content)
            (root / f"{file_name}.gz").write_bytes(gzip.compress(response.content, compresslevel=6, mtime=0))
            copies[name] = f"{settings.STATIC_URL}{STATIC_DIR}/{file_name}"
        yield copies
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _officer_saves_a_draft() -> None:
    """An officer's draft in an open quarter, committed: the publication version must not move. Its own
    indicator, so that the import benchmark's rows (rolled back) never meet it."""
    user, round_, _indicators = bench_imports.uploader()
    indicator, _ = Indicator.objects.get_or_create(
        slug="bench-http-draft", defaults={"title": "Draft measure", "unit": "count", "frequency": "quarterly"}
    )
    indicator.officers.add(user)
    saved = Return.objects.filter(indicator=indicator, period=round_.period).first()
    actions.do_save_return(
        indicator=indicator,
        period=round_.period,
        entered=actions.ReturnInput(numbers={"value": {"value": Decimal("12")}}, change_confirmed=True),
        by=user,
        expected_version=saved.version if saved else 0,
        submit=False,
    )


def _member_cookie() -> str:
    client = bench.member_client()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _dashboard_filters() -> dict[str, str]:
    quarter = ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, returns__status="approved").order_by("-start")
    latest = quarter.first()
    plan = Plan.objects.filter(slug__startswith="bench-plan-").order_by("order").first()
    return {
        "no filter": "/dashboard/",
        "a quarter": f"/dashboard/?quarter={latest.slug}" if latest else "/dashboard/",
        "a plan": f"/dashboard/?plan={plan.slug}" if plan else "/dashboard/",
        "off track": "/dashboard/?status=red",
        "sorted by status": "/dashboard/?sort=status",
    }


BENCH_REDIS = "redis://127.0.0.1:6379/14"  # a database of its own, emptied before each run


def _shared_cache() -> dict[str, str]:
    """Redis for the server's workers, as deployed with more than one (docs/deploy.md), if it is here:
    with a cache per worker, each worker pays the first request for each page itself."""
    try:
        import redis

        server = redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=1)
        server.flushdb()  # page keys hold the version, not the database: start from nothing
    except Exception:  # no Redis here: each worker keeps its own cache
        return {}
    return {"REDIS_URL": BENCH_REDIS}


def report(*, rounds: int) -> str:
    pages = {name: urls[0] for name, urls in bench.page_types().items()}
    shared = _shared_cache()
    lines = [
        f"Through gunicorn (2 workers, production settings, page cache on{', shared in Redis' if shared else ''}), "
        f"{rounds} rounds; each public page beside",
        "a static file of exactly its bytes from the same server (aim: within 2×), gzip accepted.",
        "",
        "| page | p50 ms | p95 ms | static p50 ms | static p95 ms | page ÷ static (p50) | KB sent |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    server = Server(**shared)
    with _static_copies(pages) as copies:
        server.start()
        try:
            medians = {}
            for name, url in pages.items():
                for _ in range(3):  # warm: the first request after start-up renders and caches the page
                    server.get(url)
                    server.get(copies[name])
                page_times, static_times, size = [], [], 0
                for _ in range(rounds):
                    status, ms, size = server.get(url)
                    if status != 200:
                        raise RuntimeError(f"{url} answered {status} through gunicorn")
                    page_times.append(ms)
                    static_times.append(server.get(copies[name])[1])
                medians[name] = statistics.median(page_times)
                ratio = medians[name] / statistics.median(static_times)
                lines.append(
                    f"| {name} | {medians[name]:.1f} | {_p95(page_times):.1f} | {statistics.median(static_times):.1f} "
                    f"| {_p95(static_times):.1f} | {ratio:.1f}× | {size / 1024:.0f} |"
                )

            _officer_saves_a_draft()
            lines += [
                "",
                "The first request for each public page after an officer saves a draft (aim: as fast as any other):",
                "",
                "| page | first after the draft ms | p50 before ms |",
                "| --- | ---: | ---: |",
            ]
            for name, url in pages.items():
                lines.append(f"| {name} | {server.get(url)[1]:.1f} | {medians[name]:.1f} |")

            cookie = _member_cookie()
            lines += [
                "",
                f"The members' dashboard, signed in, {rounds} rounds per filter (aim: p95 under 50 ms):",
                "",
                "| filter | p50 ms | p95 ms |",
                "| --- | ---: | ---: |",
            ]
            for name, url in _dashboard_filters().items():
                server.get(url, cookie=cookie)  # warm: its judgements cached for this version
                times = []
                for _ in range(rounds):
                    status, ms, _size = server.get(url, cookie=cookie)
                    if status != 200:
                        raise RuntimeError(f"{url} answered {status} to a member through gunicorn")
                    times.append(ms)
                lines.append(f"| {name} | {statistics.median(times):.1f} | {_p95(times):.1f} |")
        finally:
            server.stop()
    return "\n".join(lines)
