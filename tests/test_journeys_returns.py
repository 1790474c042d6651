"""Issue 15, the signed-in half: the sign-off review, locking a round, completeness and reminders, and the
returns forms as a screen reader meets them. Each test names the item of the issue it checks; browser
checks (phones, axe) are in tests/browser/test_journeys_returns.py."""

import datetime as dt
import re

import pytest
from django.utils.html import escape

from indicators.models import Indicator, ReportingPeriod, Return
from plans.models import Plan
from returns import actions, queries
from tests.conftest import OPEN_QUARTER, open_round_for, publish

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _submit(code: str, by, numbers: dict, *, commentary: str = "", version: int = 0) -> Return:
    return actions.do_save_return(
        indicator=Indicator.objects.get(code=code),
        period=ReportingPeriod.objects.get(label=OPEN_QUARTER),
        entered=actions.ReturnInput(
            numbers={key: {"value": value} for key, value in numbers.items()},
            commentary=commentary,
            change_confirmed=True,
        ),
        by=by,
        expected_version=version,
        submit=True,
    )


@pytest.fixture
def history(people, open_round):
    """NI 156 (households in temporary accommodation; lower is better; 570 for 2010/11): published
    figures for the same quarter last year and the two quarters before this one."""
    approver = people["approver"]
    publish("NI 156", "2009/10 Q3", "640", by=approver)
    publish("NI 156", "2010/11 Q1", "610", by=approver)
    publish("NI 156", "2010/11 Q2", "600", by=approver)
    return people


def _review_url(submission: Return) -> str:
    return f"/returns/sign-off/indicators/{submission.pk}/"


# ---- 4. The sign-off review -----------------------------------------------------------------------


def test_4_the_review_judges_the_figure_against_its_target_with_status_and_direction(client, history):
    submission = _submit("NI 156", history["officer"], {"value": 650}, commentary="Two hostels closed.")
    client.force_login(history["approver"])
    page = client.get(_review_url(submission)).content.decode()
    words = _text(page)

    assert "Figure for 2010/11 Q3 650 " in words
    assert "Target 570 for 2010/11" in words
    assert "Status if approved Off track" in words  # 650 against 570, lower is better: beyond the 5% band
    assert "Since the last period ↓ Worsening (2010/11 Q2: 600)" in words
    assert "Same quarter last year ↓ Worsening (2009/10 Q3: 640)" in words
    assert ".0000" not in re.sub(r"<svg.*?</svg>", "", page, flags=re.S)  # every figure in the one number format


def test_4_the_review_charts_the_figures_before_it_beside_a_table_of_them(client, history):
    submission = _submit("NI 156", history["officer"], {"value": 650}, commentary="Two hostels closed.")
    client.force_login(history["approver"])
    page = client.get(_review_url(submission)).content.decode()

    figure = page[page.index('<figure class="luton-figure">') : page.index("</figure>")]
    assert figure.count('role="img"') == 2  # drawn for a phone and for a wider screen; CSS shows one
    assert '<title id="chart-ni-156-title">NI 156: this figure and the published figures before it</title>' in figure
    assert "(650, waiting for sign-off)" in figure  # its description
    assert "the figure waiting for sign-off, labelled" in _text(figure)  # its caption
    table = page[page.index('id="figures-caption"') : page.index("</table>")]
    rows = [_text(row[row.index(">") + 1 :]) for row in table.split("<tr")[2:]]
    assert rows == [
        "2009/10 Q3 640 677 Published",  # judged against its own year's target
        "2010/11 Q1 610 570 Published",
        "2010/11 Q2 600 570 Published",
        "2010/11 Q3 650 570 Waiting for sign-off",
    ]


def test_4_the_reason_box_shows_only_for_return_and_works_without_javascript(client, history):
    submission = _submit("NI 156", history["officer"], {"value": 560})
    client.force_login(history["approver"])
    page = client.get(_review_url(submission)).content.decode()

    # GOV.UK's conditional reveal: the "Return" radio controls the box, hidden only where the page's
    # JavaScript runs (.govuk-frontend-supported); without it the box is in the page and in view.
    assert 'value="return" data-aria-controls="conditional-id_decision_1"' in page
    box = page[page.index('id="conditional-id_decision_1"') - 80 :]
    assert box.startswith('<div class="govuk-radios__conditional govuk-radios__conditional--hidden"') or (
        'class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-id_decision_1"' in page
    )
    assert '<textarea class="govuk-textarea" id="id_reason"' in box

    # The server asks for a reason only for a return, and then shows the box open with its error.
    refused = client.post(_review_url(submission), {"decision": "return", "reason": "", "version": submission.version})
    html = refused.content.decode()
    assert "Give the reason for returning it, so the officer can fix it" in html
    assert 'class="govuk-radios__conditional" id="conditional-id_decision_1"' in html
    approved = client.post(_review_url(submission), {"decision": "approve", "reason": "", "version": submission.version})
    assert approved.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "approved"


def test_4_the_review_shows_what_changed_since_it_was_returned_and_the_commentarys_history(client, history):
    officer, approver = history["officer"], history["approver"]
    submission = _submit("NI 156", officer, {"value": 700}, commentary="Two hostels closed.")
    actions.do_review_return(
        submission=submission,
        by=approver,
        approve=False,
        reason="Check the figure against the housing register.",
        expected_version=submission.version,
    )
    submission.refresh_from_db()
    submission = _submit(
        "NI 156", officer, {"value": 650}, commentary="Corrected from the register.", version=submission.version
    )
    client.force_login(approver)
    words = _text(client.get(_review_url(submission)).content.decode())

    assert "Since it was returned Returned on" in words
    assert "by Arun: Check the figure against the housing register." in words
    assert "Figure Was: 700 Now: 650" in words
    assert "Commentary Was: Two hostels closed. Now: Corrected from the register." in words
    assert "Remedial action Was" not in words  # unchanged: not listed
    assert "Earlier versions of the commentary (1)" in words
    assert re.search(r"\d\d:\d\d, Olivia \(submitted\) Two hostels closed\.", words)


def test_4_a_return_never_returned_says_nothing_changed_and_has_no_history(client, history):
    submission = _submit("NI 156", history["officer"], {"value": 560}, commentary="On target.")
    client.force_login(history["approver"])
    words = _text(client.get(_review_url(submission)).content.decode())
    assert "Since it was returned" not in words
    assert "Earlier versions of the commentary" not in words


def test_4_a_split_indicator_is_judged_part_by_part_each_in_its_own_direction(client, people, open_round):
    """NI 187 (fuel poverty, yearly): fewer homes below SAP 35 is better, more at SAP 65 and above
    (indicators.status.part_polarity), at the sign-off as on the public pages."""
    indicator = Indicator.objects.get(code="NI 187")
    year = ReportingPeriod.objects.get(label="2010/11")
    open_round_for(year)
    low, high = indicator.breakdowns.order_by("order")
    indicator.officers.add(people["officer"])
    targets = {t.breakdown_id: t.value for t in indicator.targets.filter(period=year)}
    submission = actions.do_save_return(
        indicator=indicator,
        period=year,
        entered=actions.ReturnInput(
            # Each part on the better side of its own target (8.5 and 31.25): both on track.
            numbers={low.slug: {"value": targets[low.pk] - 1}, high.slug: {"value": targets[high.pk] + 1}},
            change_confirmed=True,
        ),
        by=people["officer"],
        expected_version=0,
        submit=True,
    )
    client.force_login(people["approver"])
    words = _text(client.get(_review_url(submission)).content.decode())
    assert "The figure for SAP below 35 Figure for 2010/11 7.5%" in words
    assert "The figure for SAP 65 &amp; above Figure for 2010/11 32.25%" in words
    assert words.count("Status if approved On track") == 2


def test_4_the_review_pins_its_queries_however_long_its_history(client, history, django_assert_num_queries):
    officer, approver = history["officer"], history["approver"]
    submission = _submit("NI 156", officer, {"value": 700}, commentary="First.")
    url = _review_url(submission)
    client.force_login(approver)
    client.get(url)
    # session, user, roles, second-factor device; the return with its indicator, period and enterer; its
    # figures with their breakdowns; the round; judging (breakdowns, latest period, figures, periods,
    # targets); the return's history; the navigation's flags are the session's.
    with django_assert_num_queries(13):
        client.get(url)
    for turn in range(3):
        submission.refresh_from_db()
        actions.do_review_return(
            submission=submission, by=approver, approve=False, reason=f"Try {turn}.", expected_version=submission.version
        )
        submission.refresh_from_db()
        _submit("NI 156", officer, {"value": 600 + turn}, commentary=f"Version {turn}.", version=submission.version)
    with django_assert_num_queries(14):  # and, once it has been returned, its figures' history
        page = client.get(url).content.decode()
    assert "Earlier versions of the commentary (3)" in _text(page)


# ---- 5. Locking a round -------------------------------------------------------------------------------

LOCK = "/returns/rounds/2010-11-q3/lock/"


def test_5_locking_with_returns_outstanding_lists_them_and_asks_to_confirm(client, people, open_round):
    from returns.models import RoundState

    client.force_login(people["approver"])
    asked = client.post(LOCK)
    html = asked.content.decode()
    count = int(re.search(r'name="outstanding" value="(\d+)"', html).group(1))
    words = _text(html)

    assert asked.status_code == 200 and count > 3
    assert f"<title>Lock 2010/11 Q3 with {count} returns outstanding? – " in html
    # Every kind of return owed, with who owes it: an officer's indicator, a lead partner's, an action update.
    assert "NI 156: Number of households living in temporary accommodation Olivia Not started" in words
    assert re.search(r"NI 39: Rate of hospital admissions per 100,000 for alcohol related harm Priya Not started", words)
    action = people["officer"].actions.first()
    assert f"Action update: {action.text[:40]}" in words
    open_round.refresh_from_db()
    assert open_round.state == RoundState.OPEN  # asking locks nothing

    stale = client.post(LOCK, {"outstanding": count - 1})  # a return came in (or went back) meanwhile
    assert stale.status_code == 200
    assert "<title>Error: Lock 2010/11 Q3" in stale.content.decode()
    assert "The returns outstanding changed after you looked: the round is not locked." in stale.content.decode()
    open_round.refresh_from_db()
    assert open_round.state == RoundState.OPEN

    done = client.post(LOCK, {"outstanding": count}, follow=True)
    open_round.refresh_from_db()
    assert (open_round.state, open_round.outstanding_at_lock) == (RoundState.LOCKED, count)
    words = _text(done.content.decode())
    assert f"2010/11 Q3 is locked with {count} returns outstanding: nobody can change its returns" in words
    assert f"Locked with {count} returns outstanding by Arun" in words  # the rounds page


def _owe_only_ni_156(people) -> None:
    """Nothing owed in the round but Olivia's NI 156: no other officer, department, lead partner or action."""
    from partners.models import Partner
    from plans.models import Action

    Indicator.objects.exclude(code="NI 156").update(department=None)
    Indicator.officers.through.objects.exclude(indicator__code="NI 156").delete()
    Partner.objects.update(may_enter_returns=False)
    Action.officers.through.objects.all().delete()


def test_5_a_round_with_every_return_signed_off_locks_at_once_and_says_so(client, people, open_round):
    from returns.models import RoundState

    _owe_only_ni_156(people)
    publish("NI 156", OPEN_QUARTER, "560", by=people["approver"])
    client.force_login(people["approver"])
    words = _text(client.post(LOCK, follow=True).content.decode())
    open_round.refresh_from_db()
    assert (open_round.state, open_round.outstanding_at_lock) == (RoundState.LOCKED, 0)
    assert "2010/11 Q3 is signed off and locked: nobody can change its returns until it is reopened." in words
    assert "Signed off and locked by Arun" in words


def test_5_a_round_waiting_for_sign_off_is_not_locked_and_the_message_is_a_sentence(client, people, open_round):
    _submit("NI 156", people["officer"], {"value": 560})
    client.force_login(people["approver"])
    words = _text(client.post(LOCK, follow=True).content.decode())
    assert "Waiting for sign-off in 2010/11 Q3: 1 return. Approve or return each before locking the round." in words


def test_5_a_closed_entry_form_says_why_in_sentences(client, people, open_round):
    entry = "/returns/2010-11-q3/indicators/ni-156/"
    action = people["officer"].actions.first()
    update = f"/returns/2010-11-q3/actions/{action.pk}/"
    client.force_login(people["officer"])
    _submit("NI 156", people["officer"], {"value": 560})
    assert "This return is waiting for sign-off, so it can no longer be edited." in _text(client.get(entry).content.decode())

    Return.objects.filter(indicator__code="NI 156").delete()
    outstanding = len(queries.owed_in(open_round).outstanding)
    actions.do_lock_round(round_=open_round, by=people["approver"], outstanding_confirmed=outstanding)
    locked = f"2010/11 Q3 is locked with {outstanding} returns outstanding: the performance team can reopen it."
    words = _text(client.get(entry).content.decode())
    assert f"{locked} This return was not started, and can no longer be entered." in words
    assert "This return is and" not in words
    words = _text(client.get(update).content.decode())
    assert f"{locked} This update was not started, and can no longer be entered." in words


# ---- 6. Completeness and reminders ------------------------------------------------------------------


def _row(html: str, header: str) -> str:
    """The words of the table row whose header cell is `header`."""
    start = html.index(f'<th scope="row" class="govuk-table__header">{header}</th>')
    row = html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]
    return _text(row)


@pytest.fixture
def in_progress(people, open_round):
    """Olivia: NI 156 approved and her action's update submitted. Priya (NHS Luton, which enters the LAA
    targets it leads): one draft, the rest not started."""
    officer, partner = people["officer"], people["lead_partner"]
    publish("NI 156", OPEN_QUARTER, "560", by=people["approver"])
    actions.do_save_action_update(
        action=officer.actions.first(),
        period=open_round.period,
        entered=actions.ActionUpdateInput(progress="on_track", percent_complete=40),
        by=officer,
        expected_version=0,
        submit=True,
    )
    actions.do_save_return(
        indicator=Indicator.objects.get(code="NI 39"),
        period=open_round.period,
        entered=actions.ReturnInput(numbers={"value": {"value": 2300}}),
        by=partner,
        expected_version=0,
        submit=False,
    )
    return people


def test_6_completeness_counts_every_return_owed_with_totals_and_percentages(client, in_progress, open_round):
    owed = queries.owed_in(open_round)
    led_by_nhs = [row for row in owed.returns if in_progress["lead_partner"] in row.people]
    assert len(led_by_nhs) > 1
    client.force_login(in_progress["approver"])
    html = client.get("/returns/completeness/?round=2010-11-q3").content.decode()

    total = len(owed.returns) + len(owed.updates)
    assert f"{total} returns owed in 2010/11 Q3" in _text(html)
    # Per person: owed, outstanding, handed in and approved, with percentages.
    assert _row(html, "Olivia") == "Olivia 2 0 2 (100%) 1 (50%) Nothing outstanding"
    nhs = len(led_by_nhs)
    priya = _row(html, "Priya (NHS Luton)")
    assert priya.startswith(f"Priya (NHS Luton) {nhs} {nhs} 0 (0%) 0 (0%) Send a reminder now to Priya (NHS Luton)")
    # Per department and per plan: the action's update and the partner's returns are counted too.
    housing = _row(html, "Housing and Community Living Department")
    assert housing.startswith("Housing and Community Living Department 1 0 0 0 0 1 1 (100%)")
    laa = escape(Plan.objects.get(slug="laa-2008-11").title)  # NI 156 approved, NI 39 a draft, one not started
    assert _row(html, laa) == f"{_text(laa)} 3 1 1 0 0 1 1 (33.3%)"
    assert total == 4
    assert _row(html, "All returns") == "All returns 4 1 1 1 0 1 2 (50%)"  # each table's total row
    assert "4 returns owed in 2010/11 Q3, due " in _text(html)
    assert "2 handed in (50%), 1 approved (25%), 2 outstanding." in _text(html)


def test_6_send_a_reminder_now_follows_the_daily_rules_and_is_logged(client, in_progress, open_round):
    from django.core import mail

    from returns.models import ReminderLog

    priya = in_progress["lead_partner"]
    url = f"/returns/completeness/2010-11-q3/remind/{priya.pk}/"
    client.force_login(in_progress["officer"])
    assert client.post(url).status_code == 403  # the performance team only
    client.force_login(in_progress["approver"])
    assert client.get(url).status_code == 405

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == "/returns/completeness/?round=2010-11-q3#people"
    (email,) = mail.outbox
    assert email.to == ["priya@example.invalid"]
    assert "- NI 39: Draft" in email.body
    log = ReminderLog.objects.get(user=priya)
    assert (log.kind, log.sent_by) == ("before", in_progress["approver"])
    words = _text(response.content.decode())
    assert "Sent: before the deadline reminder to priya@example.invalid (" in words
    assert "Last sent" in _row(response.content.decode(), "Priya (NHS Luton)")

    again = _text(client.post(url, follow=True).content.decode())
    assert "was sent this reminder (before the deadline) on" in again and "never sent twice" in again
    assert len(mail.outbox) == 1
    # The daily run keeps the same rule: it does not send her that reminder again either.
    actions.do_send_reminders(today=open_round.deadline - dt.timedelta(days=1))
    assert [m.to for m in mail.outbox].count(["priya@example.invalid"]) == 1


def test_6_a_reminder_needs_something_outstanding_an_address_and_an_open_round(client, in_progress, open_round):
    from django.core import mail

    client.force_login(in_progress["approver"])
    olivia, oscar = in_progress["officer"], in_progress["other_officer"]
    words = _text(client.post(f"/returns/completeness/2010-11-q3/remind/{olivia.pk}/", follow=True).content.decode())
    assert "Olivia has no returns outstanding in 2010/11 Q3." in words
    oscar.email = ""
    oscar.save()
    Indicator.objects.get(code="NI 181").officers.add(oscar)
    words = _text(client.post(f"/returns/completeness/2010-11-q3/remind/{oscar.pk}/", follow=True).content.decode())
    assert "Oscar has no email address: add one in the admin to remind them." in words
    assert mail.outbox == []


def test_6_completeness_queries_do_not_grow_with_people(client, in_progress, open_round):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.roles import Role
    from partners.models import Partner
    from plans.models import Action
    from tests.conftest import make_user

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/returns/completeness/?round=2010-11-q3")
        return len(captured.captured_queries)

    client.force_login(in_progress["approver"])
    client.get("/returns/completeness/?round=2010-11-q3")
    before = count()
    for number in range(3):
        officer = make_user(f"officer-{number}", Role.OFFICER)
        Indicator.objects.get(code=["NI 181", "NI 192", "NI 193"][number]).officers.add(officer)
        Action.objects.order_by("pk")[number + 5].officers.add(officer)
        make_user(f"partner-{number}", Role.PARTNER, partner=Partner.objects.get(slug="nhs-luton"))
    assert count() == before


# ---- 15. The returns forms, as a keyboard and a screen reader meet them ------------------------------

REQUIRED = "This field is required."


def test_15_the_review_forms_error_links_go_to_the_first_radio_and_name_the_field(client, people, open_round):
    submission = _submit("NI 156", people["officer"], {"value": 560})
    client.force_login(people["approver"])
    html = client.post(_review_url(submission), {"version": submission.version}).content.decode()
    assert '<a href="#id_decision_0">Select whether to approve it or return it to the officer</a>' in html
    assert 'id="id_decision_0"' in html and 'id="id_decision"' not in html
    assert REQUIRED not in html
    assert html.count("<title>Error: ") == 1


def test_15_the_action_updates_error_links_go_to_the_first_radio_and_name_each_field(client, people, open_round):
    action = people["officer"].actions.first()
    client.force_login(people["officer"])
    html = client.post(f"/returns/2010-11-q3/actions/{action.pk}/", {"version": "0", "submit": "1"}).content.decode()
    assert '<a href="#id_progress_0">Select the action&#x27;s progress</a>' in html
    assert '<a href="#id_percent_complete">Enter the percentage complete, from 0 to 100</a>' in html
    assert 'id="id_progress_0"' in html
    assert REQUIRED not in html
    mangled = client.post(
        f"/returns/2010-11-q3/actions/{action.pk}/",
        {"progress": "on_track", "percent_complete": "forty", "revised_date": "31/2/2011", "submit": "1"},
    ).content.decode()
    assert '<a href="#main-content">This page is out of date: reload it and try again</a>' in mangled
    assert "Enter the percentage complete as a whole number, like 40" in mangled
    assert "Enter the revised completion date as a real date, like 31/3/2011" in mangled


def test_15_no_returns_form_says_a_bare_this_field_is_required(client, people, open_round):
    client.force_login(people["officer"])
    pages = [
        client.post("/returns/2010-11-q3/upload/", {"then": "draft"}).content.decode(),
        client.post("/returns/2010-11-q3/indicators/ni-156/", {"submit": "1"}).content.decode(),
    ]
    assert "Choose the completed spreadsheet to upload" in pages[0]
    assert "This page is out of date: reload it and try again" in pages[1]
    for html in pages:
        assert REQUIRED not in html


def test_15_the_figure_field_names_its_period_and_its_hint_the_unit_target_and_direction(client, people, open_round):
    Indicator.objects.get(code="NI 192").officers.add(people["officer"])
    client.force_login(people["officer"])
    html = client.get("/returns/2010-11-q3/indicators/ni-156/").content.decode()
    assert '<label class="govuk-label" for="id_value">Figure for 2010/11 Q3</label>' in html
    hint = "Unit: count (households in temporary accommodation). Target for 2010/11: 570. Lower is better."
    assert f'<div id="id_value-hint" class="govuk-hint">{hint}</div>' in html
    assert 'aria-describedby="id_value-hint"' in html
    percentage = client.get("/returns/2010-11-q3/indicators/ni-192/").content.decode()
    field = percentage[percentage.index('for="id_value"') :][:1500]
    assert re.search(r'id="id_value-hint" class="govuk-hint">Unit: percentage[^<]*Target for 2010/11: [^<]*\. Higher is better\.', field)
    assert '<div class="govuk-input__suffix" aria-hidden="true">%</div>' in field


def test_15_the_last_periods_figure_reads_in_the_one_number_format(client, people, open_round):
    publish("NI 156", "2010/11 Q2", "1234", by=people["approver"])
    client.force_login(people["officer"])
    assert "Last period: 1,234." in _text(client.get("/returns/").content.decode())
    entry = _text(client.get("/returns/2010-11-q3/indicators/ni-156/").content.decode())
    assert "The value 570 1,234" in entry and ".0000" not in entry


def test_15_the_review_chart_is_named_once_and_captioned(client, history):
    submission = _submit("NI 156", history["officer"], {"value": 650}, commentary="Two hostels closed.")
    client.force_login(history["approver"])
    html = client.get(_review_url(submission)).content.decode()
    figure = html[html.index('<figure class="luton-figure">') : html.index("</figure>")]
    assert 'aria-labelledby="chart-ni-156-title" aria-describedby="chart-ni-156-desc"' in figure
    assert 'aria-labelledby="chart-ni-156-narrow-title" aria-describedby="chart-ni-156-narrow-desc"' in figure
    assert "role=" not in re.sub(r'<svg class="luton-chart__svg"[^>]*>', "", figure)  # Vega's own roles are gone
    assert "<figcaption" in figure and "The same figures are in the table below." in figure


def test_5_the_lock_confirmation_pins_its_queries_however_many_are_outstanding(client, people, open_round):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plans.models import Action

    def asked() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            html = client.post(LOCK).content.decode()
        return len(captured.captured_queries), html

    client.force_login(people["approver"])
    before, html = asked()
    for action in Action.objects.order_by("pk")[10:20]:
        action.officers.add(people["other_officer"])
    Indicator.objects.get(code="NI 181").officers.add(people["other_officer"])
    after, more = asked()
    assert more.count("<tr class=\"govuk-table__row\">") == html.count("<tr class=\"govuk-table__row\">") + 11
    # session, user, roles, device; the round by its address, then held for update; returns and updates
    # waiting for sign-off; every return owed and who owes it (returns.queries.owed_in: thirteen); the
    # transaction's savepoint, rolled back (nothing is written) and released.
    assert after == before == 24
