"""The load test `make load` runs (portal/load.py prepares the accounts and starts the server).

Three kinds of people at once: officers signing in and saving drafts of their own return, members
reading the dashboard with its filters, and anonymous visitors reading the public pages. The server
runs the production settings behind a pretend TLS proxy (X-Forwarded-Proto: https), so its cookies
are marked Secure; requests would not send those over plain HTTP, so each person keeps its cookies
itself and sends them in a Cookie header, as a browser behind the proxy would.
"""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LUTON_LOAD_PASSWORD", "")
QUARTER_SLUG = os.environ.get("LUTON_LOAD_QUARTER", "2010/11 Q3").lower().replace("/", "-").replace(" ", "-")
HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", "Accept-Encoding": "gzip"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
PUBLIC_PAGES = [
    "/",
    "/plans/laa-2008-11/",
    "/plans/corporate-plan-2011-14/",
    "/plans/corporate-plan-2011-14/scorecard/",
    "/indicators/ni-192/",
    "/indicators/ni-16/",
    "/partners/",
    "/search/?q=crime",
    "/api/v1/indicators/?plan=laa-2008-11",
]
DASHBOARDS = ["/dashboard/", "/dashboard/?status=red", "/dashboard/?sort=status", "/dashboard/?plan=laa-2008-11"]


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    number = 0
    prefix = ""

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}
        type(self).number += 1
        self.username = f"{self.prefix}{(type(self).number - 1) % self.fixed_count:02d}"
        page = self.get("/accounts/login/", name="sign-in page")
        signed_in = self.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": TOKEN.search(page.text).group(1)},
            name="sign in",
        )
        if "sessionid" not in self.cookies:
            signed_in.failure(f"{self.username} could not sign in")

    def _headers(self, extra=None) -> dict:
        cookie = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        return {**HEADERS, **({"Cookie": cookie} if cookie else {}), **(extra or {})}

    def _keep(self, response) -> None:
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        for step in response.history:
            for cookie in step.cookies:
                self.cookies[cookie.name] = cookie.value

    def get(self, path: str, *, name: str):
        with self.client.get(path, headers=self._headers(), name=name, catch_response=True) as response:
            self._keep(response)
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
            return response

    def post(self, path: str, data: dict, *, name: str):
        headers = self._headers({"Referer": f"https://127.0.0.1{path}"})
        with self.client.post(
            path, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._keep(response)
            if response.status_code != 302:
                response.failure(f"{path} answered {response.status_code}, not a redirect")
            return response


class Officer(Person):
    fixed_count = 50
    prefix = "load-officer-"

    @task(3)
    def save_a_draft(self) -> None:
        entry = f"/returns/{QUARTER_SLUG}/indicators/load-measure-{self.username[-2:]}/"
        form = self.get(entry, name="officer: entry form")
        token, version = TOKEN.search(form.text), VERSION.search(form.text)
        if token and version:
            self.post(
                entry,
                {
                    "csrfmiddlewaretoken": token.group(1),
                    "version": version.group(1),
                    "value": str(random.randint(10, 500)),  # noqa: S311 - a load test's figure
                    "commentary": "Load test.",
                    "draft": "1",
                },
                name="officer: save a draft",
            )

    @task(1)
    def my_returns(self) -> None:
        self.get("/returns/", name="officer: my returns")


class Member(Person):
    fixed_count = 20
    prefix = "load-member-"

    @task
    def dashboard(self) -> None:
        self.get(random.choice(DASHBOARDS), name="member: dashboard")  # noqa: S311


class Visitor(HttpUser):
    fixed_count = 100
    wait_time = between(1, 3)

    @task
    def public_page(self) -> None:
        path = random.choice(PUBLIC_PAGES)  # noqa: S311
        with self.client.get(path, headers=HEADERS, name="public page", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
