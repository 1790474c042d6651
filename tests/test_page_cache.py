"""Public pages cached whole under the publication version (portal/page_cache.py, issue 13): what moves
the version (indicators/publication.py), what the cache answers and to whom, and the shared cache."""

import gzip
import os
import re
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
from django.db import models
from django.test import Client

from indicators.models import DataVersion, Indicator, ReportingPeriod, Return, Target
from indicators.publication import public_models
from plans.models import Risk
from returns import actions
from tests.conftest import ROOT_DIR, open_round_for, publish, redis_url_for_tests

pytestmark = pytest.mark.django_db

QUARTER = "2010/11 Q2"


def _published() -> int:
    return DataVersion.current_publication()


def _save_draft(code: str, value: str, *, by, submit: bool = False, quarter: str = QUARTER) -> Return:
    indicator = Indicator.objects.get(code=code)
    period = ReportingPeriod.objects.get(label=quarter)
    open_round_for(period)
    version = Return.objects.filter(indicator=indicator, period=period).values_list("version", flat=True).first()
    return actions.do_save_return(
        indicator=indicator,
        period=period,
        entered=actions.ReturnInput(
            numbers={"value": {"value": Decimal(value)}}, commentary="Work in progress.", change_confirmed=True
        ),
        by=by,
        expected_version=version or 0,
        submit=submit,
    )


# ---- What moves the publication version ---------------------------------------------------------------


def test_drafts_submissions_and_returning_do_not_move_the_publication_version_and_approval_does(people):
    before = _published()
    _save_draft("NI 192", "41", by=people["officer"])
    _save_draft("NI 192", "42", by=people["officer"])
    submission = _save_draft("NI 192", "43", by=people["officer"], submit=True)
    sent_back = actions.do_review_return(
        submission=submission,
        by=people["approver"],
        approve=False,
        reason="Check it",
        expected_version=submission.version,
    )
    submission = _save_draft("NI 192", "43.5", by=people["officer"], submit=True)
    assert sent_back.status == "returned"
    assert _published() == before  # a quarter's data entry leaves the public cache alone

    actions.do_review_return(
        submission=submission, by=people["approver"], approve=True, expected_version=submission.version
    )
    assert _published() == before + 1  # one move for the approval's whole transaction


def test_a_correction_to_a_target_or_a_risk_moves_the_publication_version():
    before = _published()
    target = Target.objects.filter(indicator__code="NI 192").first()
    target.text = target.text + " (corrected)"
    target.save()
    assert _published() == before + 1
    risk = Risk.objects.first()
    risk.title = risk.title + "."
    risk.save()
    assert _published() == before + 2


def test_every_public_model_is_watched_and_the_working_rows_only_once_approved():
    """A save of any row of any public model moves the version; a return's only when it is approved."""
    watched = []
    for model in public_models():
        row = model._default_manager.order_by("pk").first()
        if row is None:
            continue
        before = _published()
        row.save()
        moved = _published() != before
        expected = getattr(row, "is_published", True)
        assert moved == expected, f"saving a {model._meta.label} {'did not move' if expected else 'moved'} it"
        watched.append(model._meta.label)
    assert {"plans.Plan", "plans.Risk", "indicators.Target", "partners.Partner", "partners.SignUp"} <= set(watched)


def test_a_link_between_public_records_moves_the_version_only_when_it_changes(people):
    indicator = Indicator.objects.get(code="NI 156")
    before = _published()
    indicator.officers.add(people["officer"])  # assigned already: nothing changes
    assert _published() == before
    indicator.officers.add(people["other_officer"])
    assert _published() == before + 1


# ---- What the cache answers ---------------------------------------------------------------------------


def test_a_public_page_is_rendered_once_per_publication(django_assert_num_queries, people):
    visitor = Client()
    first = visitor.get("/plans/laa-2008-11/")
    with django_assert_num_queries(1):  # the publication version
        again = visitor.get("/plans/laa-2008-11/")
    assert again.content == first.content and again["ETag"] == first["ETag"]

    _save_draft("NI 192", "41", by=people["officer"])  # an officer's draft: still the cached page
    with django_assert_num_queries(1):
        assert visitor.get("/plans/laa-2008-11/").content == first.content

    publish("NI 192", QUARTER, "43", by=people["approver"])
    fresh = visitor.get("/indicators/ni-192/").content.decode()
    assert "43%" in fresh or "43.0%" in fresh


def test_between_polls_a_cached_page_costs_no_query_and_this_process_sees_its_own_publication_at_once(
    settings, django_assert_num_queries
):
    settings.LUTON_PUBLICATION_POLL_MS = 60_000
    visitor = Client()
    first = visitor.get("/partners/")
    with django_assert_num_queries(0):  # the version read a moment ago: no round trip to the database
        assert visitor.get("/partners/").content == first.content
    # Another process's publication (the row moved without this process's bump) shows after the poll...
    version = DataVersion.recent_publication()
    DataVersion.objects.update(published=models.F("published") + 1)
    assert DataVersion.recent_publication() == version
    DataVersion.forget_recent_publication()  # ...which is what the poll's wait does
    assert DataVersion.recent_publication() == version + 1
    # ...and this process's own publication at once.
    DataVersion.bump()
    assert DataVersion.recent_publication() == version + 2


def test_a_conditional_request_is_answered_not_modified():
    visitor = Client()
    etag = visitor.get("/partners/")["ETag"]
    response = visitor.get("/partners/", HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, response.content) == (304, b"")


def test_public_pages_are_compressed_for_browsers_that_accept_it():
    visitor = Client()
    plain = visitor.get("/")
    zipped = visitor.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    assert "Accept-Encoding" in zipped["Vary"] and zipped["ETag"] != plain["ETag"]
    assert zipped["Cache-Control"].startswith("public")


def test_signed_in_people_are_never_answered_from_the_public_cache(client, people):
    public = Client().get("/").content.decode()
    assert "Sign out" not in public
    client.force_login(people["member"])
    page = client.get("/")
    assert "Sign out" in page.content.decode()
    assert "Content-Encoding" not in page and "no-store" in page["Cache-Control"]


def test_private_pages_are_not_cached_for_anonymous_visitors():
    visitor = Client()
    assert visitor.get("/returns/").status_code == 302  # to sign in: not a public page
    sign_in = visitor.get("/accounts/login/")
    assert "no-store" in sign_in["Cache-Control"]  # sets the CSRF cookie: one visitor's
    assert sign_in.get("Content-Encoding") is None


# ---- A cache shared by every process ------------------------------------------------------------------


def _in_another_process(code: str, redis_url: str) -> str:
    env = {**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_two_processes_share_cache_entries_through_redis():
    url = redis_url_for_tests()
    key = f"shared-{uuid.uuid4().hex}"
    _in_another_process(f"from django.core.cache import caches; caches['pages'].set('{key}', 'from one', 60)", url)
    assert _in_another_process(f"from django.core.cache import caches; print(caches['pages'].get('{key}'))", url) == (
        "from one"
    )


# ---- The members' dashboard's tables, rendered once per publication, filter and set of late returns ---


def test_the_dashboards_cached_tables_follow_late_returns_which_drafts_change(client, people, open_round):
    import datetime as dt

    import time_machine

    publish("NI 192", "2010/11 Q3", "43", by=people["approver"])  # the quarter has published figures
    url = f"/dashboard/?quarter={open_round.period.slug}&status=no_data"

    def late_tags() -> tuple[int, bool]:
        """How many returns the page shows as late, and whether NI 156's is one (late ones come first)."""
        page = client.get(url).content.decode()
        row = re.search(r"NI 156: .*?</td>", page, re.DOTALL)
        return page.count("Return late"), bool(row) and "Return late" in row.group()

    with time_machine.travel(dt.datetime.combine(open_round.deadline + dt.timedelta(days=3), dt.time(12))):
        client.force_login(people["member"])  # signed in then: sessions end after 12 hours
        late, ni_156_late = late_tags()
        assert ni_156_late and late >= 1
        assert late_tags() == (late, True)  # the same, from the cached tables
        version = _published()
        _save_draft("NI 156", "560", by=people["officer"], submit=True, quarter="2010/11 Q3")  # handed in, late
        assert _published() == version  # nothing published moved...
        assert late_tags() == (late - 1, False)  # ...yet the tables are rendered afresh
