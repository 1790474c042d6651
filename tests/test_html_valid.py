"""Every page type is HTML that the Nu HTML Checker (the W3C validator) accepts without a warning."""

import pytest

from indicators.models import Indicator
from plans.models import BudgetLine
from tests.html_validator import validate_html
from tests.page_types import DOCUMENT_PAGES

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/plans/laa-2008-11/",
    "/plans/corporate-plan-2008-14/",
    "/plans/corporate-plan-2011-14/",
    "/plans/service-plans-2024/",
    "/plans/corporate-plan-2008-14/a-financially-sound-and-efficient-council/putting-customers-first/",
    "/indicators/ni-16/",
    "/indicators/ni-120/",
    "/partners/",
    "/partners/solutions/",
    "/plans/laa-2008-11/scorecard/",
    "/plans/corporate-plan-2011-14/risks/",
    "/plans/corporate-plan-2011-14/risks/?stage=initial&score=9",
    "/plans/corporate-plan-2008-14/risks/",
    "/plans/corporate-plan-2008-14/assessment/",
    "/plans/corporate-plan-2008-14/timeline/",
    *DOCUMENT_PAGES,
    "/search/?q=crime",
    "/about/status/",
    "/data/",
]


def test_public_pages_are_valid_html(client, people, tmp_path):
    from tests.conftest import publish

    publish("NI 16", "2010/11 Q1", "30.5", by=people["approver"])
    publish("NI 16", "2010/11 Q2", "36", by=people["approver"])
    pages = {}
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    # A budget table whose printed total is not the sum of its rows says so beside it.
    total = BudgetLine.objects.get(table__title="Revenue expenditure in 2011/12", label="TOTAL")
    total.cells = ["480.18", *total.cells[1:]]
    total.save()
    pages["budget with a wrong total"] = client.get("/plans/corporate-plan-2011-14/budget/").content.decode()
    assert "govuk-warning-text" in pages["budget with a wrong total"]

    assert validate_html(pages, tmp_path) == []


def test_signed_in_account_and_error_pages_are_valid_html(client, people, open_round, tmp_path):
    """Every signed-in page type, the account pages and the error pages, in one run of the checker (it
    takes seconds to start)."""
    from returns import actions
    from tests.conftest import publish

    publish("NI 16", "2010/11 Q1", "30.5", by=people["approver"])
    publish("NI 16", "2010/11 Q2", "36", by=people["approver"])
    pages = {"failed sign-in": client.post("/accounts/login/", {"username": "x", "password": "y"}).content.decode()}
    client.force_login(people["member"])
    for url in ["/dashboard/", "/dashboard/?plan=corporate-plan-2011-14&sort=-status", "/dashboard/?plan=laa-2008-11"]:
        pages[url] = client.get(url).content.decode()
    client.force_login(people["lead_partner"])
    pages["/partners/my-targets/"] = client.get("/partners/my-targets/").content.decode()
    client.force_login(people["officer"])
    for url in [
        "/returns/",
        "/returns/2010-11-q3/indicators/ni-156/",
        "/returns/2010-11-q3/upload/",
        "/accounts/login/",
    ]:
        pages[url] = client.get(url).content.decode()
    pages["account with a new API token"] = client.post("/accounts/api-token/").content.decode()
    pages["account with an API token"] = client.get("/accounts/").content.decode()
    action = people["officer"].actions.first()
    pages["action update"] = client.get(f"/returns/2010-11-q3/actions/{action.pk}/").content.decode()
    pages["entry with errors"] = client.post(
        "/returns/2010-11-q3/indicators/ni-156/", {"value": "700", "version": "0", "submit": "1"}
    ).content.decode()
    submission = actions.do_save_return(
        indicator=Indicator.objects.get(code="NI 156"),
        period=open_round.period,
        entered=actions.ReturnInput(numbers={"value": {"value": 560}}),
        by=people["officer"],
        expected_version=0,
        submit=True,
    )
    client.force_login(people["approver"])
    for url in [
        "/returns/sign-off/",
        f"/returns/sign-off/indicators/{submission.pk}/",
        "/returns/rounds/",
        "/returns/completeness/",
        "/indicators/ni-156/",
    ]:
        pages[url] = client.get(url).content.decode()
    pages["review with errors"] = client.post(
        f"/returns/sign-off/indicators/{submission.pk}/", {"decision": "return", "version": submission.version}
    ).content.decode()
    actions.do_review_return(
        submission=submission, by=people["approver"], approve=True, expected_version=submission.version
    )
    pages["lock with returns outstanding"] = client.post("/returns/rounds/2010-11-q3/lock/").content.decode()
    assert "Lock with" in pages["lock with returns outstanding"]

    pages.update(_account_and_error_pages(people))  # validated together: the checker takes seconds to start

    assert validate_html(pages, tmp_path) == []
    # The test client skips CSRF checks, so check here that every form that posts carries its token.
    for name, html in pages.items():
        forms = html.count('<form method="post"')
        assert html.count('name="csrfmiddlewaretoken"') == forms, name
    assert "Record decision" in pages[f"/returns/sign-off/indicators/{submission.pk}/"]


def _account_and_error_pages(people) -> dict[str, str]:
    """Sign-in security and error pages, each in the states people see."""
    from axes.models import AccessAttempt
    from django.template.loader import render_to_string

    from tests.conftest import Client, give_app

    pages = {}
    approver = Client()
    approver.force_login(people["approver"])
    AccessAttempt.objects.create(
        username="olivia", ip_address="203.0.113.5", user_agent="x", failures_since_start=10, get_data="", post_data=""
    )
    for url in ["/accounts/", "/accounts/password/", "/accounts/two-factor/recovery-codes/", "/accounts/locks/"]:
        pages[url] = approver.get(url).content.decode()
    pages["password with errors"] = approver.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": "aaaaaaaaaaaa", "new_password2": "b"}
    ).content.decode()
    pages["new recovery codes"] = approver.post("/accounts/two-factor/recovery-codes/").content.decode()

    officer = Client()
    officer.force_login(people["officer"])
    pages["set-up"] = officer.get("/accounts/two-factor/set-up/").content.decode()
    pages["set-up with an error"] = officer.post("/accounts/two-factor/set-up/", {"code": "12"}).content.decode()
    pages["403"] = officer.get("/accounts/locks/").content.decode()
    pages["404"] = officer.get("/no-such-page/").content.decode()

    give_app(people["member"])
    member = Client()
    member.force_login(people["member"], second_factor=False)
    pages["code"] = member.get("/accounts/two-factor/code/").content.decode()
    pages["code with an error"] = member.post("/accounts/two-factor/code/", {"code": "000000"}).content.decode()

    locked = Client()
    for attempt in range(10):
        response = locked.post("/accounts/login/", {"username": "councillor", "password": f"wrong-{attempt}"})
    assert response.status_code == 429
    pages["locked out"] = response.content.decode()
    pages["500"] = render_to_string("500.html", {"request_id": "0123456789abcdef"})
    pages["503"] = render_to_string("503.html", {"request_id": "0123456789abcdef"})
    return pages
