"""Every URL of the project × every role: who may use it. A new URL without an expectation fails here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from indicators.models import Indicator, ReportingPeriod
from returns import actions

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "officer",
    "other_officer",
    "approver",
    "member",
    "lead_partner",
    "other_partner",
    "admin",
]
PUBLIC = dict.fromkeys(ROLES, 200)


def only(allowed: set[str], *, anonymous: int = 302, others: int = 403) -> dict[str, int]:
    return {role: (200 if role in allowed else anonymous if role == "anonymous" else others) for role in ROLES}


PERFORMANCE_TEAM = only({"approver", "admin"})
ENTER_RETURNS = only({"officer", "other_officer", "lead_partner"})
ASSIGNED = only({"officer"})
POST_ONLY = dict.fromkeys(ROLES, 405)
SIGNED_IN = only(set(ROLES) - {"anonymous"})

# url name -> (path, expected GET status per role)
EXPECTATIONS = {
    "home": ("/", PUBLIC),
    "plans:plan-detail": ("/plans/laa-2008-11/", PUBLIC),
    "plans:outcome-detail": (
        "/plans/corporate-plan-2008-14/a-financially-sound-and-efficient-council/putting-customers-first/",
        PUBLIC,
    ),
    "indicators:indicator-detail": ("/indicators/ni-156/", PUBLIC),
    "indicators:indicator-csv": ("/indicators/ni-156/published-figures.csv", PUBLIC),
    "plans:scorecard": ("/plans/laa-2008-11/scorecard/", PUBLIC),
    "plans:risk-register": ("/plans/corporate-plan-2011-14/risks/", PUBLIC),
    "plans:assessment": ("/plans/corporate-plan-2008-14/assessment/", PUBLIC),
    "plans:timeline": ("/plans/corporate-plan-2008-14/timeline/", PUBLIC),
    "plans:budget": ("/plans/corporate-plan-2011-14/budget/", PUBLIC),
    "plans:org-unit": ("/plans/corporate-plan-2011-14/departments/public-health-department/", PUBLIC),
    "search": ("/search/?q=crime", PUBLIC),
    "methodology": ("/about/status/", PUBLIC),
    "open-data": ("/data/", PUBLIC),
    "sitemap": ("/sitemap.xml", PUBLIC),
    "open-data-file": ("/data/figures.csv", PUBLIC),
    "dashboard": ("/dashboard/", only({"officer", "other_officer", "approver", "member", "admin"})),
    "partners:partner-dashboard": ("/partners/my-targets/", only({"lead_partner", "other_partner"})),
    "partners:partner-list": ("/partners/", PUBLIC),
    "partners:partner-detail": ("/partners/nhs-luton/", PUBLIC),
    "partners:glossary": ("/partners/glossary/", PUBLIC),
    "partners:groups": ("/partners/groups/", PUBLIC),
    "api:api-root": ("/api/v1/", PUBLIC),
    "api:plan-list": ("/api/v1/plans/", PUBLIC),
    "api:plan-detail": ("/api/v1/plans/laa-2008-11/", PUBLIC),
    "api:indicator-list": ("/api/v1/indicators/?plan=laa-2008-11", PUBLIC),
    "api:indicator-detail": ("/api/v1/indicators/ni-156/", PUBLIC),
    "api:risk-list": ("/api/v1/risks/", PUBLIC),
    "api:risk-detail": ("/api/v1/risks/{risk}/", PUBLIC),
    "api:figure-list": ("/api/v1/figures/", PUBLIC),
    "api-schema": ("/api/v1/schema/", PUBLIC),
    "api-docs": ("/api/v1/docs/", PUBLIC),
    # A draft: its officer and the performance team see it; to everyone else it does not exist.
    "api:return": (
        "/api/v1/returns/ni-156/2010-11-q3/",
        {**only({"officer", "approver", "admin"}, anonymous=403, others=404)},
    ),
    "login": ("/accounts/login/", PUBLIC),
    "landing": ("/signed-in/", dict.fromkeys(ROLES, 302)),  # it only redirects, each role to its own page
    "logout": ("/accounts/logout/", POST_ONLY),
    "accounts:account": ("/accounts/", SIGNED_IN),
    "accounts:password-change": ("/accounts/password/", SIGNED_IN),
    # Everyone here has finished signing in, so the code step sends them on.
    "accounts:two-factor-code": ("/accounts/two-factor/code/", dict.fromkeys(ROLES, 302)),
    "accounts:two-factor-set-up": ("/accounts/two-factor/set-up/", SIGNED_IN),
    # Only the approver and the administrator have an app (required for them); others are sent to set one up.
    "accounts:recovery-codes": ("/accounts/two-factor/recovery-codes/", only({"approver", "admin"}, others=302)),
    "accounts:locks": ("/accounts/locks/", PERFORMANCE_TEAM),
    "accounts:lift-lock": ("/accounts/locks/1/lift/", POST_ONLY),
    "accounts:create-api-token": ("/accounts/api-token/", POST_ONLY),
    "accounts:revoke-api-token": ("/accounts/api-token/revoke/", POST_ONLY),
    "healthz": ("/healthz", PUBLIC),
    "returns:my-returns": ("/returns/", ENTER_RETURNS),
    "returns:return-entry": ("/returns/2010-11-q3/indicators/ni-156/", ASSIGNED),
    "returns:action-update-entry": ("/returns/2010-11-q3/actions/{action}/", ASSIGNED),
    "returns:download": ("/returns/2010-11-q3/download.csv", ENTER_RETURNS),
    "returns:upload": ("/returns/2010-11-q3/upload/", ENTER_RETURNS),
    "returns:sign-off": ("/returns/sign-off/", PERFORMANCE_TEAM),
    "returns:review-return": ("/returns/sign-off/indicators/{return}/", PERFORMANCE_TEAM),
    "returns:review-action-update": ("/returns/sign-off/actions/{update}/", PERFORMANCE_TEAM),
    "returns:rounds": ("/returns/rounds/", PERFORMANCE_TEAM),
    "returns:change-round": ("/returns/rounds/2010-11-q3/lock/", POST_ONLY),
    "returns:completeness": ("/returns/completeness/", PERFORMANCE_TEAM),
    "returns:send-reminder": ("/returns/completeness/2010-11-q3/remind/1/", POST_ONLY),
    # Packs of approved figures are public; with ?figures=submitted, the performance team's only
    # (tests/test_reports_pages.py asks every role).
    "reports:list": ("/reports/", PUBLIC),
    # The community strategy's packs: the smallest (it names no indicators), so eight roles' PDFs are quick.
    "reports:pack": ("/reports/luton-sustainable-community-strategy/2010-11-q2/", PUBLIC),
    "reports:pack-csv": ("/reports/luton-sustainable-community-strategy/2010-11-q2.csv", PUBLIC),
    "reports:pack-xlsx": ("/reports/luton-sustainable-community-strategy/2010-11-q2.xlsx", PUBLIC),
    "reports:pack-pdf": ("/reports/luton-sustainable-community-strategy/2010-11-q2.pdf", PUBLIC),
    # Issuing a pack is the performance team's (its POST: tests/test_reports_issuing.py); issued packs hold
    # approved figures only, so their files are public.
    "reports:issue": ("/reports/luton-sustainable-community-strategy/2010-11-q2/issue/", PERFORMANCE_TEAM),
    "reports:issued-file": ("/reports/issued/{issued}/csv", PUBLIC),
}


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the Django admin: staff only, with per-model permissions (tested separately)
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_an_expectation_for_every_role():
    names = set(_names(get_resolver().url_patterns))
    assert names - set(EXPECTATIONS) == set(), "URLs without a permission expectation"
    assert set(EXPECTATIONS) - names == set(), "expectations for URLs that no longer exist"


@pytest.fixture
def objects(people, open_round, settings, tmp_path):
    from plans.models import Risk
    from tests.test_reports_issuing import store_issued_file

    settings.MEDIA_ROOT = tmp_path / "media"

    submission = actions.do_save_return(
        indicator=Indicator.objects.get(code="NI 156"),
        period=ReportingPeriod.objects.get(label="2010/11 Q3"),
        entered=actions.ReturnInput(numbers={"value": {"value": 560}}),
        by=people["officer"],
        expected_version=0,
        submit=False,
    )
    action = people["officer"].actions.first()
    update = actions.do_save_action_update(
        action=action,
        period=open_round.period,
        entered=actions.ActionUpdateInput(progress="on_track", percent_complete=10),
        by=people["officer"],
        expected_version=0,
        submit=True,
    )
    return {
        "return": submission.pk,
        "action": action.pk,
        "update": update.pk,
        "risk": Risk.objects.first().pk,
        "issued": store_issued_file().pack_id,
    }


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_who_may_use_each_url_and_a_get_changes_nothing(client, people, objects, name):
    from tests.conftest import snapshot

    path, expected = EXPECTATIONS[name]
    path = path.format(**objects)
    before = snapshot()
    seen = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        seen[role] = client.get(path).status_code
    assert seen == expected
    assert snapshot() == before


JUNK = {
    "value": "12..5",
    "version": "not a number",
    "commentary": "\x00" * 3,
    "progress": "flying",
    "percent_complete": "200",
    "revised_date": "31/02/2011",
    "decision": "maybe",
    "reason": "",
    "file": "not a file",
    "submit": "1",
}


@pytest.mark.parametrize(
    "path",
    [
        "/returns/2010-11-q3/indicators/ni-156/",
        "/returns/2010-11-q3/actions/{action}/",
        "/returns/sign-off/indicators/{return}/",
        "/returns/sign-off/actions/{update}/",
        "/returns/rounds/2010-11-q3/reopen/",
        "/returns/rounds/2010-11-q3/explode/",
        "/returns/rounds/no-such-round/lock/",
        "/returns/completeness/2010-11-q3/remind/999999/",
        "/returns/completeness/no-such-round/remind/1/",
        "/returns/2010-11-q3/upload/",
        "/returns/2010-11-q3/download.exe",
        "/returns/2010-11-q3/indicators/ni-9999/",
        "/accounts/login/",
    ],
)
def test_junk_input_gets_an_answer_never_a_server_error(client, people, objects, path):
    for role in ("officer", "approver"):
        client.force_login(people[role])
        response = client.post(path.format(**objects), JUNK)
        assert response.status_code < 500, (role, response.status_code)


def test_junk_to_the_api_is_a_400_not_a_500(client, people, objects):
    client.force_login(people["officer"])
    for body in [
        '{"values": {"value": "12..5"}, "version": 1}',
        '{"values": [], "version": -1}',
        "not json",
        "[]",
        '{"values": {"nonsense": 1}, "version": 1}',
    ]:
        response = client.put("/api/v1/returns/ni-156/2010-11-q3/", body, content_type="application/json")
        assert response.status_code in (400, 409), (body, response.status_code)


def test_the_admin_is_for_staff_only(client, people):
    for role in ["officer", "approver", "member", "lead_partner"]:
        client.force_login(people[role])
        assert client.get("/admin/").status_code == 302, role
    client.force_login(people["admin"])
    assert client.get("/admin/").status_code == 200


def test_forms_refuse_a_post_without_a_csrf_token(people, open_round):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["officer"])
    response = client.post("/returns/2010-11-q3/indicators/ni-156/", {"value": "560", "version": "0"})
    assert response.status_code == 403
