"""Report packs (issue 11): the one builder every format draws from, checked against the database.

The LAA at 2010/11 Q2, with figures chosen so that each kind of exception appears once:
- NI 16 (lower is better, target 31.10): 33.6, 33.1, 31.4, 30.7 — on track, improving; the trend falls
  1.04 a quarter (least squares), 28.56 at Q4, shown as 28.6: likely to meet.
- NI 156 (lower, target 570): 600, 620, 640, 660 — off track and worsening; 700 at Q4: likely to miss.
- NI 192 (higher, target 42.57%): 43.5, 43, 42.5, 42 — close to target and worsening; 41 at Q4 is within
  the band (2.13) of the target: too close to call.
- NI 117 (lower, target 6.2%): 5, 5.4, 5.8, 6.2 — on track now, but 7 at Q4: likely to miss.
- NI 153 (by ward, a target in words): one quarter — no numeric target, not enough data to forecast.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from core.roles import Role
from indicators.forecast import Method, Outlook
from indicators.models import Confidence, Indicator, ReportingPeriod, Return, ReturnStatus
from indicators.status import Direction, Rag
from plans.models import Action, ActionStatus, Plan
from reports.notes import NoteKind
from reports.packs import build_pack
from returns import actions as workflow
from returns.models import ActionUpdate
from tests.conftest import make_user, publish

QUARTERS = ["2009/10 Q3", "2009/10 Q4", "2010/11 Q1", "2010/11 Q2"]
SERIES = {
    "NI 16": ["33.6", "33.1", "31.4", "30.7"],
    "NI 156": ["600", "620", "640", "660"],
    "NI 192": ["43.5", "43", "42.5", "42"],
    "NI 117": ["5", "5.4", "5.8", "6.2"],
}


@pytest.fixture
def approver(db):
    return make_user("report-approver", Role.PERFORMANCE_TEAM)


@pytest.fixture
def q2(db):
    return ReportingPeriod.objects.select_related("parent").get(label="2010/11 Q2")


@pytest.fixture
def laa(db):
    return Plan.objects.get(slug="laa-2008-11")


@pytest.fixture
def figures(approver):
    for code, values in SERIES.items():
        for quarter, value in zip(QUARTERS, values, strict=True):
            publish(code, quarter, value, by=approver)
    publish("NI 153", "2010/11 Q2", {"biscot": "4.0", "dallow": "4.5", "northwell": "4.1"}, by=approver)
    change(
        Return.objects.filter(indicator__code="NI 156", period__label="2010/11 Q2"),
        commentary="Homelessness applications rose after the Luton Road closures.",
        remedial_action="Two more prevention officers from October.",
    )


def change(returns, **fields) -> None:
    """Set fields of returns as a test's starting point (audited models are saved one by one)."""
    for submission in returns:
        for name, value in fields.items():
            setattr(submission, name, value)
        submission.save()


def row_of(pack, code):
    (row,) = [row for row in pack.rows if row.indicator.code == code]
    return row


def test_the_full_table_holds_baseline_target_four_quarters_status_direction_and_forecast(figures, laa, q2):
    pack = build_pack(laa, q2)

    assert [q.label for q in pack.quarters] == QUARTERS
    (part,) = row_of(pack, "NI 16").parts
    assert part.baseline == "37.93 (7,085 offences)"
    assert (part.target_text, part.target) == ("31.10 (5,810 offences)", D("31.1"))
    assert part.quarters == [D("33.6"), D("33.1"), D("31.4"), D("30.7")]
    assert (part.rag, part.direction) == (Rag.GREEN, Direction.IMPROVING)
    assert (part.forecast.method, part.forecast.value, part.outlook) == (Method.TREND, D("28.6"), Outlook.LIKELY_TO_MEET)
    assert part.forecast.basis == "2009/10 Q3 to 2010/11 Q2 (4 quarters)"
    assert row_of(pack, "NI 192").parts[0].outlook == Outlook.TOO_CLOSE_TO_CALL
    assert pack.demonstration is False  # every figure here was entered as a real one


def test_exceptions_are_off_track_close_and_worsening_or_forecast_to_miss_each_with_its_commentary(figures, laa, q2):
    pack = build_pack(laa, q2)

    reasons = {row.indicator.code: row.exception_reasons for row in pack.exceptions}
    assert reasons == {
        "NI 156": ["Off track", "Forecast: likely to miss the year's target"],
        "NI 192": ["Close to target and worsening"],
        "NI 117": ["Forecast: likely to miss the year's target"],
    }
    ni156 = row_of(pack, "NI 156")
    assert ni156.commentary == "Homelessness applications rose after the Luton Road closures."
    assert ni156.remedial_action == "Two more prevention officers from October."
    assert ni156.parts[0].forecast.value == D("700")


def test_a_split_indicator_with_a_target_in_words_is_never_off_track_nor_forecast(figures, laa, q2):
    ni153 = row_of(build_pack(laa, q2), "NI 153")

    assert [part.name for part in ni153.parts] == ["Biscot", "Dallow", "Northwell"]
    assert [part.baseline for part in ni153.parts] == ["Biscot 4.0%", "Dallow 4.6%", "Northwell 4.1%"]
    assert [part.quarters[-1] for part in ni153.parts] == [D("4"), D("4.5"), D("4.1")]
    assert ni153.rag == Rag.NO_NUMERIC_TARGET
    assert ni153.outlook == Outlook.NOT_ENOUGH_DATA
    assert "The trend needs a figure for each of the last 4 quarters." in ni153.parts[0].forecast.reason


def test_the_summary_counts_statuses_per_theme_and_gives_the_headline_direction(figures, laa, q2):
    pack = build_pack(laa, q2)

    assert [group.title for group in pack.groups][:2] == ["Safer Stronger Communities", "Children & Young People"]
    counted = {group.title: group.rollup for group in pack.groups}
    assert counted["Safer Stronger Communities"].green == 1  # NI 16
    assert (pack.total.green, pack.total.amber, pack.total.red) == (2, 1, 1)
    assert pack.total.total == len(pack.rows) == len({row.indicator.pk for row in pack.rows})
    assert pack.directions[Direction.IMPROVING] == 1 and pack.directions[Direction.WORSENING] == 3
    assert pack.headline_direction.startswith("More indicators worsened than improved since the previous quarter: 1")


def test_a_published_pack_never_shows_a_figure_awaiting_sign_off_a_staff_pack_marks_it(figures, approver, laa, q2):
    publish("NI 39", "2010/11 Q2", "2500", by=approver, approve=False)

    public = row_of(build_pack(laa, q2), "NI 39")
    assert public.parts[0].quarters[-1] is None and public.rag == Rag.NO_DATA
    staff = row_of(build_pack(laa, q2, published_only=False), "NI 39")
    assert staff.parts[0].quarters[-1] == D("2500")
    assert staff.parts[0].unapproved == [False, False, False, True]
    assert staff.rag == Rag.RED  # 2,500 against 2,373, fewer being better
    assert staff.commentary_approved is False


def test_data_notes_name_late_returned_and_low_confidence_returns(figures, approver, laa, q2):
    on_time = dt.datetime(2010, 10, 5, 12, tzinfo=dt.UTC)
    change(Return.objects.filter(period=q2), submitted_at=on_time)
    change(Return.objects.filter(period=q2, indicator__code="NI 156"), confidence=Confidence.LOW)
    change(Return.objects.filter(period=q2, indicator__code="NI 117"), submitted_at=dt.datetime(2010, 11, 30, 12, tzinfo=dt.UTC))
    sent_back = publish("NI 39", "2010/11 Q2", "2500", by=approver, approve=False)
    workflow.do_review_return(
        submission=sent_back, by=approver, approve=False, reason="Wrong population base", expected_version=sent_back.version
    )

    Indicator.objects.get(code="NI 30").officers.add(make_user("report-officer", Role.OFFICER))  # owes, never sent

    public = {(note.indicator.code, note.kind): note.detail for note in build_pack(laa, q2).notes}
    assert public == {
        ("NI 30", NoteKind.OUTSTANDING): "Still outstanding after the deadline of 28 October 2010.",
        ("NI 117", NoteKind.LATE): "Handed in on 30 November 2010, after the deadline of 28 October 2010.",
        ("NI 156", NoteKind.LOW_CONFIDENCE): "The officer flagged known data-quality issues.",
        ("NI 39", NoteKind.RETURNED): "Sent back to the officer; no figure is shown until it is corrected and approved.",
    }
    staff = {(note.indicator.code, note.kind): note.detail for note in build_pack(laa, q2, published_only=False).notes}
    assert staff[("NI 39", NoteKind.RETURNED)].endswith("Reason: Wrong population base")


def test_actions_show_the_quarters_signed_off_progress_and_exceptions(approver, q2):
    plan = Plan.objects.get(slug="corporate-plan-2008-14")
    first, second = Action.objects.filter(plan=plan).order_by("order")[:2]
    ActionUpdate.objects.create(
        action=first,
        period=q2,
        progress=ActionStatus.AT_RISK,
        percent_complete=40,
        commentary="Procurement delayed by a challenge.",
        status=ReturnStatus.APPROVED,
    )
    ActionUpdate.objects.create(  # not signed off: not in the pack
        action=second, period=q2, progress=ActionStatus.OFF_TRACK, percent_complete=5, status=ReturnStatus.SUBMITTED
    )

    pack = build_pack(plan, q2)

    rows = {row.action.pk: row for row in pack.actions}
    assert (rows[first.pk].status_label, rows[first.pk].percent_complete) == ("At risk", 40)
    assert rows[first.pk].commentary == "Procurement delayed by a challenge."
    assert (rows[second.pk].status, rows[second.pk].percent_complete, rows[second.pk].updated) == (
        second.status,
        None,
        False,
    )
    assert [row.action.pk for row in pack.action_exceptions] == [first.pk]
    assert len(pack.risks) == plan.risks.count() > 0


def test_the_laa_pack_assesses_each_designated_target_for_the_reward_grant(figures, laa, q2, settings):
    settings.LUTON_REWARD_POT = D("1400000")
    pack = build_pack(laa, q2)

    rules = pack.reward.rules
    targets = {row.indicator.code: target for row, target in pack.reward_rows}
    assert len(targets) == 28  # the LAA's designated targets for 2010/11; NI 192's is not one
    assert "NI 192" not in targets
    # NI 156: 892 → 570; 660 now is 232 ÷ 322 of the way (£36,024.84 of £50,000); the forecast 700 is
    # 192 ÷ 322 = 59.6%, under the threshold.
    assert (rules.amount(targets["NI 156"].earned_latest), targets["NI 156"].earned_forecast) == (D("36024.84"), 0)
    # NI 16 beyond its target now and on the forecast: the whole £50,000, no more.
    assert rules.amount(targets["NI 16"].earned_latest) == rules.amount(targets["NI 16"].earned_forecast) == D("50000.00")
    # NI 117 (7.2% → 6.2%): on target now; the forecast 7.0% is a fifth of the way: nothing.
    assert (rules.amount(targets["NI 117"].earned_latest), targets["NI 117"].earned_forecast) == (D("50000.00"), 0)
    assert targets["NI 7"].parts[0].reason == "The target is in words, not a number."
    assert [p.name for p in targets["NI 120"].parts] == ["male", "female"]
    assert rules.amount(targets["NI 120"].parts[0].stake) == D("25000.00")
    assert rules.amount(pack.reward.earned_latest) == D("36024.84") + D("100000.00")
    assert build_pack(Plan.objects.get(slug="corporate-plan-2011-14"), q2).reward is None


def test_the_executive_reads_the_exceptions_first(figures, laa, q2):
    from reports.audiences import Audience

    pack = build_pack(Plan.objects.get(slug="corporate-plan-2008-14"), q2, audience=Audience.EXECUTIVE)
    assert [name for name, _, _ in pack.sections][:2] == ["exceptions", "summary"]
    assert "reward" not in [name for name, _, _ in pack.sections]  # the corporate plan designates nothing
    assert pack.title == f"{pack.plan.title}: performance report for Executive, 2010/11 Q2"
    assert [name for name, _, _ in build_pack(laa, q2).sections][:3] == ["summary", "exceptions", "reward"]


def test_scrutiny_reads_the_indicators_by_directorate_and_department(figures, laa, q2):
    from plans.models import OrgUnit
    from reports.audiences import Audience

    housing = OrgUnit.objects.get(slug="housing-and-community-living-department")
    ni156 = Indicator.objects.get(code="NI 156")
    ni156.department = housing
    ni156.save()
    pack = build_pack(laa, q2, audience=Audience.SCRUTINY)

    assert row_of(pack, "NI 156").group.title == "Housing and Community Living Department"
    assert row_of(pack, "NI 16").group.title == "No department named"
    assert [g.title for g in pack.groups][-1] == "No department named"
    assert pack.total.total == len(pack.rows) == sum(g.rollup.total for g in pack.groups)  # each in one place
    by_department = build_pack(Plan.objects.get(slug="corporate-plan-2011-14"), q2, audience=Audience.SCRUTINY)
    assert "Children and Learning Department" in [g.title for g in by_department.groups]
    assert "actions" in [name for name, _, _ in by_department.sections]


def test_the_luton_forum_reads_each_targets_lead_partner_and_the_reward_grant(figures, laa, q2):
    from reports.audiences import Audience

    pack = build_pack(laa, q2, audience=Audience.FORUM)
    assert {code: row_of(pack, code).lead_partner for code in ("NI 16", "NI 117", "NI 156")} == {
        "NI 16": "SoLUTiONs",
        "NI 117": "Campus Luton",
        "NI 156": "Luton Borough Council",
    }
    assert [name for name, _, _ in pack.sections] == [
        "summary", "exceptions", "reward", "indicators", "notes", "how_to_read"
    ]
    assert row_of(pack, "NI 156").parts[0].designated and not row_of(pack, "NI 192").parts[0].designated


@pytest.mark.parametrize(("audience", "more"), [("executive", 0), ("scrutiny", 1), ("forum", 1)])
def test_each_audiences_pack_reads_a_fixed_number_of_queries(
    figures, approver, laa, q2, audience, more, django_assert_num_queries
):
    from plans.models import OrgUnit
    from reports.audiences import Audience

    ni156 = Indicator.objects.get(code="NI 156")
    ni156.department = OrgUnit.objects.get(slug="housing-and-community-living-department")
    ni156.save()  # a department: scrutiny has one to read, and the late returns' third query runs (it owes one)
    build_pack(laa, q2, audience=Audience(audience))
    with django_assert_num_queries(QUERIES + 1 + more):  # scrutiny: the departments; the forum: lead partners
        build_pack(laa, q2, audience=Audience(audience))
    for quarter in QUARTERS:
        publish("NI 111", quarter, "100", by=approver)
    with django_assert_num_queries(QUERIES + 1 + more):
        build_pack(laa, q2, audience=Audience(audience))


def test_the_builder_reads_a_fixed_number_of_queries_whatever_the_data(figures, approver, laa, q2, django_assert_num_queries):
    build_pack(laa, q2)  # warm: content types and the like
    with django_assert_num_queries(QUERIES):
        build_pack(laa, q2)
    # Three more indicators with a year of figures each, and a quarter of every indicator of a theme.
    for code in ("NI 111", "NI 19", "NI 30"):
        for quarter, value in zip(QUARTERS, ["100", "110", "120", "130"], strict=True):
            publish(code, quarter, value, by=approver)
    for indicator in Indicator.objects.filter(plan_links__plan=laa, frequency="quarterly").exclude(
        code__in=[*SERIES, "NI 153", "NI 111", "NI 19", "NI 30"]
    ):
        publish(indicator.code, "2010/11 Q1", "1", by=approver)
    with django_assert_num_queries(QUERIES):
        pack = build_pack(laa, q2)
    assert row_of(pack, "NI 111").parts[0].quarters == [D("100"), D("110"), D("120"), D("130")]


# quarters, the plan's places (2), indicators, judging (5), figures, targets, baselines, breakdowns,
# commentary, actions and their updates (2), risks; data notes: round, returns, and the late ones (academic
# years, indicators owed; a third once any return is owed); what changed since (reports/changes.py): the
# issued packs, the risk register at the end of the last quarter (and the figures then, once one is issued)
QUERIES = 23


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [(1, [0, 1]), (5, [0, 1, 2, 3, 4, 5]), (9, [0, 2, 4, 6, 8, 10]), (17, [0, 5, 10, 15, 20]), (58, [0, 20, 40, 60])],
)
def test_the_summary_charts_axis_counts_whole_indicators(highest, ticks):
    from indicators.charts.rollups import count_ticks

    assert count_ticks(highest) == ticks


def test_the_summary_chart_is_one_image_named_and_described(db):
    from indicators.charts.rollups import rollup_chart
    from indicators.status import Rollup

    svg = rollup_chart(
        [("Safer Stronger Communities", Rollup(green=2, amber=3, red=1)), ("Children & Young People", Rollup(no_data=4))],
        title="LAA, 2010/11 Q2: indicators by status",
        description="Safer Stronger Communities: 2 on track",
        chart_id="summary-test",
    )
    assert svg.startswith('<svg class="luton-chart__svg" id="summary-test"')
    assert '<title id="summary-test-title">LAA, 2010/11 Q2: indicators by status</title>' in svg
    assert "Children &amp; Young People" in svg  # the bars' names, as text
    assert 'role="graphics' not in svg  # one image: Vega's own roles are taken out
    assert rollup_chart([("Empty", Rollup())], title="t", description="d", chart_id="c") == ""
