"""The quarterly cycle end to end through its pages: enter, submit, return, fix, approve, lock."""

import re

import pytest
from django.urls import reverse

from indicators.models import Indicator, ReportingPeriod, Return, ReturnStatus
from returns import actions
from returns.models import RoundState

pytestmark = pytest.mark.django_db

ENTRY = "/returns/2010-11-q3/indicators/ni-156/"


def lock(client, url: str = "/returns/rounds/2010-11-q3/lock/") -> None:
    """Lock a round, confirming the returns still outstanding (other departments' are, in these tests)."""
    asked = client.post(url)
    if asked.status_code == 200:  # the confirmation page, with the count to confirm
        count = re.search(r'name="outstanding" value="(\d+)"', asked.content.decode()).group(1)
        asked = client.post(url, {"outstanding": count})
    assert asked.status_code == 302


def test_my_returns_lists_what_is_assigned_with_status_due_date_last_value_and_target(client, people, open_round):
    client.force_login(people["officer"])
    page = client.get("/returns/").content.decode()

    assert "NI 156: Number of households living in temporary accommodation" in page
    assert "Target: 570" in page  # the 2010/11 target of the LAA
    assert "Not started" in page
    assert open_round.deadline.strftime("%-d %B %Y") in page
    assert "NI 181" not in page  # not assigned to this officer


def test_an_off_target_figure_without_commentary_is_refused_with_the_reason(client, people, open_round):
    client.force_login(people["officer"])
    response = client.post(ENTRY, {"value": "700", "version": "0", "submit": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Explain the performance: the value (700 against a target of 570) is off target" in page
    assert not Return.objects.filter(indicator__code="NI 156", period__label="2010/11 Q3").exists()


def test_the_cycle_submit_return_fix_approve_lock(client, people, open_round):
    officer, approver = people["officer"], people["approver"]
    client.force_login(officer)
    client.post(ENTRY, {"value": "700", "commentary": "Two hostels closed.", "version": "0", "submit": "1"})
    submission = Return.objects.get(indicator__code="NI 156", period__label="2010/11 Q3")
    assert (submission.status, submission.values.get().value) == (ReturnStatus.SUBMITTED, 700)

    client.force_login(approver)
    queue = client.get("/returns/sign-off/").content.decode()
    assert "Number of households living in temporary accommodation" in queue
    client.post(
        f"/returns/sign-off/indicators/{submission.pk}/",
        {"decision": "return", "reason": "", "version": submission.version},
    )
    submission.refresh_from_db()
    assert submission.status == ReturnStatus.SUBMITTED  # a return needs its reason
    client.post(
        f"/returns/sign-off/indicators/{submission.pk}/",
        {
            "decision": "return",
            "reason": "Check against the housing register.",
            "version": submission.version,
        },
    )
    submission.refresh_from_db()
    assert submission.status == ReturnStatus.RETURNED

    client.force_login(officer)
    assert "Returned: Check against the housing register." in client.get("/returns/").content.decode()
    client.post(
        ENTRY,
        {
            "value": "650",
            "commentary": "Corrected from the register.",
            "version": submission.version,
            "submit": "1",
        },
    )
    submission.refresh_from_db()
    assert (submission.status, submission.values.get().value) == (ReturnStatus.SUBMITTED, 650)

    client.force_login(approver)
    client.post(
        f"/returns/sign-off/indicators/{submission.pk}/",
        {"decision": "approve", "version": submission.version},
    )
    submission.refresh_from_db()
    assert (submission.status, submission.reviewed_by) == (ReturnStatus.APPROVED, approver)
    lock(client)
    open_round.refresh_from_db()
    assert open_round.state == RoundState.LOCKED

    client.force_login(officer)
    page = client.get(ENTRY).content.decode()
    assert "can no longer be edited" in page and "Submit for sign-off" not in page


def test_a_stale_save_is_refused_naming_who_changed_it(people, open_round):
    indicator = Indicator.objects.get(code="NI 156")
    period = ReportingPeriod.objects.get(label="2010/11 Q3")
    entered = actions.ReturnInput(numbers={"value": {"value": 560}})
    first = actions.do_save_return(
        indicator=indicator,
        period=period,
        entered=entered,
        by=people["officer"],
        expected_version=0,
        submit=False,
    )
    actions.do_save_return(
        indicator=indicator,
        period=period,
        entered=entered,
        by=people["officer"],
        expected_version=first.version,
        submit=False,
    )

    with pytest.raises(actions.StaleEdit, match=r"changed by Olivia on \d+ \w+ \d{4} at \d\d:\d\d after you opened it"):
        actions.do_save_return(
            indicator=indicator,
            period=period,
            entered=actions.ReturnInput(numbers={"value": {"value": 999}}),
            by=people["officer"],
            expected_version=first.version,
            submit=False,
        )
    assert Return.objects.get(pk=first.pk).values.get().value == 560


def test_an_officer_cannot_open_a_return_of_someone_elses_indicator(client, people, open_round):
    client.force_login(people["other_officer"])
    assert client.get(ENTRY).status_code == 403
    assert client.post(ENTRY, {"value": "1", "version": "0"}).status_code == 403


def test_the_lead_partner_enters_values_for_a_target_it_leads_when_allowed(client, people, open_round):
    client.force_login(people["lead_partner"])
    page = client.get("/returns/").content.decode()
    assert "NI 39: Rate of hospital admissions per 100,000 for alcohol related harm" in page
    response = client.post("/returns/2010-11-q3/indicators/ni-39/", {"value": "2300", "version": "0", "draft": "1"})
    assert response.status_code == 302
    assert Return.objects.get(indicator__code="NI 39", period__label="2010/11 Q3").entered_by == people["lead_partner"]


def test_action_updates_are_entered_and_signed_off(client, people, open_round):
    from returns.models import ActionUpdate

    action = people["officer"].actions.first()
    client.force_login(people["officer"])
    url = f"/returns/2010-11-q3/actions/{action.pk}/"
    response = client.post(url, {"progress": "off_track", "percent_complete": "40", "version": "0", "submit": "1"})
    assert "Explain why the action is at risk or off track" in response.content.decode()
    client.post(
        url,
        {
            "progress": "on_track",
            "percent_complete": "40",
            "commentary": "On plan.",
            "version": "0",
            "submit": "1",
        },
    )
    update = ActionUpdate.objects.get(action=action)
    assert (update.progress, update.percent_complete, update.status) == ("on_track", 40, "submitted")

    client.force_login(people["approver"])
    client.post(f"/returns/sign-off/actions/{update.pk}/", {"decision": "approve", "version": update.version})
    action.refresh_from_db()
    assert action.status == "on_track"


def test_completeness_counts_returns_by_department_and_plan_and_names_the_late(client, people, open_round):
    import datetime as dt

    client.force_login(people["approver"])
    page = client.get("/returns/completeness/?round=2010-11-q3").content.decode()
    assert "Housing and Community Living Department" in page
    assert "Nobody is late" in page

    open_round.opens_on, open_round.deadline = dt.date(2011, 1, 1), dt.date(2011, 1, 28)
    open_round.save()
    page = client.get("/returns/completeness/?round=2010-11-q3").content.decode()
    assert "Olivia: NI 156" in page


def test_reopening_a_locked_round_needs_a_reason_and_is_audited(client, people, open_round):
    client.force_login(people["approver"])
    lock(client)
    client.post("/returns/rounds/2010-11-q3/reopen/", {"reason": ""})
    open_round.refresh_from_db()
    assert open_round.state == RoundState.LOCKED
    client.post("/returns/rounds/2010-11-q3/reopen/", {"reason": "A late correction from the DWP."})
    open_round.refresh_from_db()
    assert (open_round.state, open_round.reopen_reason) == (
        RoundState.OPEN,
        "A late correction from the DWP.",
    )
    latest = open_round.history.order_by("-history_date").first()
    assert (latest.history_user, latest.channel, latest.state) == (people["approver"], "form", "open")


def test_reverse_urls_exist():
    assert reverse("returns:my-returns") == "/returns/"
