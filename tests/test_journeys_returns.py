"""Issue 15, the signed-in half: the sign-off review, locking a round, completeness and reminders, and the
returns forms as a screen reader meets them. Each test names the item of the issue it checks; browser
checks (phones, axe) are in tests/browser/test_journeys_returns.py."""

import re

import pytest

from indicators.models import Indicator, ReportingPeriod, Return
from returns import actions
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
