"""Every page type is HTML that the Nu HTML Checker (the W3C validator) accepts without a warning."""

import pytest

from indicators.models import Indicator
from tests.html_validator import validate_html

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
    "/search/?q=crime",
    "/about/status/",
]


def test_public_pages_are_valid_html(client, people, tmp_path):
    from tests.test_portal_pages import publish

    publish("NI 16", "2010/11 Q1", "30.5", by=people["approver"])
    publish("NI 16", "2010/11 Q2", "36", by=people["approver"])
    pages = {}
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()

    assert validate_html(pages, tmp_path) == []


def test_dashboards_and_a_failed_sign_in_are_valid_html(client, people, tmp_path):
    from tests.test_portal_pages import publish

    publish("NI 16", "2010/11 Q1", "30.5", by=people["approver"])
    publish("NI 16", "2010/11 Q2", "36", by=people["approver"])
    pages = {"failed sign-in": client.post("/accounts/login/", {"username": "x", "password": "y"}).content.decode()}
    client.force_login(people["member"])
    for url in ["/dashboard/", "/dashboard/?plan=corporate-plan-2011-14&sort=-status", "/dashboard/?plan=laa-2008-11"]:
        pages[url] = client.get(url).content.decode()
    client.force_login(people["lead_partner"])
    pages["/partners/my-targets/"] = client.get("/partners/my-targets/").content.decode()

    assert validate_html(pages, tmp_path) == []


def test_returns_pages_are_valid_html(client, people, open_round, tmp_path):
    from returns import actions

    pages = {}
    client.force_login(people["officer"])
    for url in [
        "/returns/",
        "/returns/2010-11-q3/indicators/ni-156/",
        "/returns/2010-11-q3/upload/",
        "/accounts/login/",
    ]:
        pages[url] = client.get(url).content.decode()
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

    assert validate_html(pages, tmp_path) == []
    # The test client skips CSRF checks, so check here that every form that posts carries its token.
    for name, html in pages.items():
        forms = html.count('<form method="post"')
        assert html.count('name="csrfmiddlewaretoken"') == forms, name
    assert "Record decision" in pages[f"/returns/sign-off/indicators/{submission.pk}/"]
