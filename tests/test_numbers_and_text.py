"""The one number format and the one text rule (core/numbers.py, core/text.py): database-free."""

from decimal import Decimal as D

import pytest

from core.numbers import format_figure, parse_number, plain
from core.text import UnsafeText, clean_text, find_unsafe
from returns.rules import EntryInput, IndicatorFacts, PartInput, check_entry


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [
        ("5,810", "", D("5810")),
        ("1,234,567.5", "", D("1234567.5")),
        ("-1,234", "", D("-1234")),
        ("42.5%", "percentage", D("42.5")),
        ("42.5 %", "percentage", D("42.5")),
        ("£1,200", "currency", D("1200")),
        ("  35.65 ", "", D("35.65")),
        (".5", "", D("0.5")),
        (43.300000000000004, "", D("43.3")),  # a spreadsheet's float, as the cell displays it
        (12, "", D("12")),
    ],
)
def test_numbers_people_type_are_read(typed, unit, expected):
    assert parse_number(typed, unit=unit) == expected


@pytest.mark.parametrize(
    ("typed", "unit", "says"),
    [
        ("4,3", "", "use a comma only to separate thousands"),
        ("1,2,3,4", "", "use a comma only to separate thousands"),
        ("12,34", "", "use a comma only to separate thousands"),
        ("1 234", "", "is not a number"),
        ("42.5%", "count", "is not a number"),  # a % sign only where the figure is a percentage
        ("1e5", "", "is not a number"),
        ("NaN", "", "is not a number"),
        ("Infinity", "", "is not a number"),
        ("12abc", "", "is not a number"),
        ("", "", "is not a number"),
        (float("inf"), "", "this portal can hold"),
        ("1" * 20, "", "this portal can hold"),
        (True, "", "is not a number"),
    ],
)
def test_anything_else_is_refused_with_a_reason(typed, unit, says):
    with pytest.raises(ValueError, match=says):
        parse_number(typed, unit=unit)


@pytest.mark.parametrize(
    ("number", "unit", "shown"),
    [
        (D("5810.0000"), "", "5,810"),
        (D("2382.2000"), "count", "2,382.2"),
        (D("42.5000"), "percentage", "42.5%"),
        (D("-1200"), "currency", "-£1,200"),
        (D("12"), "days", "12 days"),
        (D("0.0700"), "", "0.07"),
        (D("1.5E+3"), "", "1,500"),
        (None, "", ""),
    ],
)
def test_figures_are_written_one_way(number, unit, shown):
    assert format_figure(number, unit) == shown


def test_plain_digits_have_no_separators_or_trailing_zeros():
    assert [plain(D("1500.0000")), plain(D("0.7000")), plain(None), plain(D("-3.2500"))] == ["1500", "0.7", "", "-3.25"]


def test_what_is_written_reads_back_as_the_same_number():
    for number in (D("5810"), D("2382.2"), D("-0.25"), D("1234567.125")):
        assert parse_number(format_figure(number)) == number
        assert parse_number(plain(number)) == number


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe", "\ud800"])
def test_hidden_characters_are_refused_by_name_and_position(character):
    with pytest.raises(UnsafeText, match="at position 3"):
        clean_text("ab" + character + "c")


def test_tabs_and_line_breaks_are_kept_and_line_endings_made_one():
    assert clean_text("a\tb\r\nc\rd\ne") == "a\tb\nc\nd\ne"
    assert find_unsafe("Ward: Biscot – 12% “better”") is None


def test_each_band_of_a_split_indicator_is_judged_in_its_own_direction_at_entry():
    """NI 187: fewer homes below SAP 35 is better, more at SAP 65 and above is better. Both bands
    below their targets: only the band that should rise is off target and asks for commentary."""
    facts = IndicatorFacts(unit="percentage", polarity="", tolerance=D(5), rate_multiplier=None, change_alert_percent=None)
    entry = EntryInput(
        parts=[
            PartInput(key="low", label="SAP below 35", value=D("5"), target=D("7"), polarity="lower"),
            PartInput(key="high", label="SAP 65 and above", value=D("20"), target=D("30"), polarity="higher"),
        ],
        submitting=True,
    )
    problems = check_entry(entry, facts)
    assert [p.field for p in problems] == ["commentary"]
    assert "SAP 65 and above (20% against a target of 30%)" in problems[0].message
    assert "SAP below 35" not in problems[0].message
