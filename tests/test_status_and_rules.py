"""The status engine and the entry rules: pure functions, tested without a database."""

from decimal import Decimal as D

import pytest

from indicators import status
from indicators.status import Direction, Rag
from indicators.units import check_value
from returns.rules import EntryInput, IndicatorFacts, PartInput, check_entry, rate_from


@pytest.mark.parametrize(
    ("actual", "target", "polarity", "expected"),
    [
        (D("570"), D("570"), "lower", Rag.GREEN),  # met exactly
        (D("560"), D("570"), "lower", Rag.GREEN),
        (D("590"), D("570"), "lower", Rag.AMBER),  # 20 over, within 5% (28.5)
        (D("600"), D("570"), "lower", Rag.RED),
        (D("42.57"), D("42.57"), "higher", Rag.GREEN),
        (D("41"), D("42.57"), "higher", Rag.AMBER),
        (D("30"), D("42.57"), "higher", Rag.RED),
        (D("30"), None, "higher", Rag.NO_NUMERIC_TARGET),  # "No survey", "100 taken off benefits"
        (None, D("10"), "higher", Rag.NO_DATA),
        (D("5"), D("10"), "neither", Rag.NOT_JUDGED),
        (D("10.4"), D("10"), "closer", Rag.GREEN),  # Goldilocks: close either side
        (D("9.2"), D("10"), "closer", Rag.AMBER),
        (D("12"), D("10"), "closer", Rag.RED),
        (D("-8"), D("-7.5"), "higher", Rag.RED),  # negative targets use |target| for the band
    ],
)
def test_rag_respects_polarity_and_the_tolerance_band(actual, target, polarity, expected):
    assert status.rag(actual, target, polarity=polarity) == expected


def test_a_text_target_is_never_red():
    assert status.rag(D("999999"), None, polarity="lower") == Rag.NO_NUMERIC_TARGET


@pytest.mark.parametrize(
    ("aggregation", "quarter", "expected"),
    [
        ("snapshot", 2, D("100")),
        ("average", 3, D("100")),
        ("cumulative", 1, D("25")),
        ("cumulative", 3, D("75")),
        ("sum", 2, D("25")),
        ("cumulative", None, D("100")),
    ],
)
def test_quarters_are_compared_with_the_matching_share_of_the_annual_target(aggregation, quarter, expected):
    assert status.comparable_target(D("100"), quarter=quarter, aggregation=aggregation) == expected


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        (D(5), D(4), "higher", Direction.IMPROVING),
        (D(5), D(4), "lower", Direction.WORSENING),
        (D(4), D(4), "lower", Direction.NO_CHANGE),
        (D(4), None, "lower", Direction.NOT_COMPARABLE),
        (D(4), D(3), "neither", Direction.NOT_COMPARABLE),
    ],
)
def test_direction_of_travel(current, previous, polarity, expected):
    assert status.direction(current, previous, polarity=polarity) == expected


@pytest.mark.parametrize(
    ("value", "unit", "problem"),
    [
        (D("101"), "percentage", "must be a percentage between 0 and 100"),
        (D("-1"), "percentage", "between 0 and 100"),
        (D("12.5"), "count", "must be a whole number, 0 or more"),
        (D("-3"), "count", "whole number"),
        (D("-2"), "days", "cannot be negative"),
        (D("55.5"), "percentage", None),
        (D("740"), "count", None),
        (D("-3.5"), "percentage_points", None),
    ],
)
def test_values_must_make_sense_for_their_unit(value, unit, problem):
    message = check_value(value, unit=unit, label="the value")
    assert (problem is None and message is None) or (problem in message)


def test_a_rate_comes_from_numerator_and_denominator():
    assert rate_from(D("136"), D("188000"), D("1000")) == D("0.7234")


FACTS = IndicatorFacts(unit="count", polarity="lower", tolerance=D(5), rate_multiplier=None, change_alert_percent=None)


def _entry(value, *, target=D("570"), previous=None, commentary="", confirmed=False, submitting=True):
    return EntryInput(
        parts=[PartInput(key="value", label="the value", value=value, target=target, previous=previous)],
        commentary=commentary,
        change_confirmed=confirmed,
        submitting=submitting,
    )


def test_commentary_is_required_when_a_submitted_figure_is_off_target():
    problems = check_entry(_entry(D("700")), FACTS)
    assert [(p.field, p.message) for p in problems] == [
        ("commentary", "Explain the performance: the value (700 against a target of 570) is off target")
    ]
    assert check_entry(_entry(D("700"), commentary="Two hostels closed."), FACTS) == []
    assert check_entry(_entry(D("700"), submitting=False), FACTS) == []  # a draft may wait for its commentary
    assert check_entry(_entry(D("560")), FACTS) == []


def test_a_large_move_from_last_period_asks_for_confirmation():
    problems = check_entry(_entry(D("5600"), previous=D("560"), commentary="x"), FACTS)
    assert [p.field for p in problems] == ["change_confirmed"]
    assert "moves from 560 to 5,600" in problems[0].message
    assert check_entry(_entry(D("5600"), previous=D("560"), commentary="x", confirmed=True), FACTS) == []
    assert check_entry(_entry(D("600"), previous=D("560"), commentary="x"), FACTS) == []


def test_submitting_needs_every_figure_but_a_draft_does_not():
    assert [p.message for p in check_entry(_entry(None), FACTS)] == ["Enter the value before submitting"]
    assert check_entry(_entry(None, submitting=False), FACTS) == []


def test_a_rate_indicator_takes_numerator_and_denominator():
    facts = IndicatorFacts(
        unit="rate", polarity="lower", tolerance=D(5), rate_multiplier=D(1000), change_alert_percent=None
    )
    entry = EntryInput(parts=[PartInput(key="value", label="the value", numerator=D("136"), denominator=D("0"))])
    assert [p.field for p in check_entry(entry, facts)] == ["value_denominator"]
    entry = EntryInput(parts=[PartInput(key="value", label="the value", numerator=D("136"), denominator=D("188000"))])
    assert check_entry(entry, facts) == []
    assert entry.parts[0].value == D("0.7234")


def test_a_split_indicator_takes_its_worst_part():
    assert status.worst([Rag.GREEN, Rag.RED, Rag.AMBER]) == Rag.RED
    assert status.worst([Rag.GREEN, Rag.NO_DATA]) == Rag.GREEN  # a missing part does not hide a judgement
    assert status.worst([Rag.NO_NUMERIC_TARGET, Rag.NO_DATA]) == Rag.NO_NUMERIC_TARGET
    assert status.worst([]) == Rag.NO_DATA


def test_rollups_count_and_headline():
    counted = status.rollup([Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.NO_DATA, Rag.NO_NUMERIC_TARGET])
    assert (counted.green, counted.amber, counted.red, counted.no_data, counted.not_judged) == (2, 1, 0, 1, 1)
    assert counted.total == 5 and counted.headline == Rag.AMBER
    assert status.rollup([Rag.GREEN, Rag.RED]).headline == Rag.RED
    assert status.rollup([Rag.NO_DATA]).headline == Rag.NO_DATA
    assert (status.rollup([Rag.GREEN]) + status.rollup([Rag.RED])).total == 2


@pytest.mark.parametrize(
    ("score", "scale", "band"),
    [
        (3, 9, "low"),
        (4, 9, "medium"),
        (6, 9, "medium"),
        (8, 9, "high"),
        (None, 9, "unscored"),
        (8, 25, "low"),
        (9, 25, "medium"),
        (17, 25, "high"),
    ],
)
def test_risk_bands_follow_the_register_scale(score, scale, band):
    assert status.risk_band(score, scale=scale) == band


def test_the_register_scale_is_read_from_its_scores():
    assert status.risk_scale([3, 6, 9]) == 9  # Luton's 2011 register: a three by three matrix
    assert status.risk_scale([4, 12, 20]) == 25
