"""Year-end forecasts (indicators/forecast.py): pure rules with hand-worked examples, no database.

Each expected figure below is worked by hand in its comment, as docs/status-rules.md explains the method."""

from decimal import Decimal as D

import pytest

from indicators.forecast import (
    Forecast,
    Method,
    Outlook,
    QuarterFigure,
    combined_outlook,
    forecast_year_end,
    outlook,
)
from indicators.status import part_polarity
from indicators.units import limits


def quarters(start_year: int, start_quarter: int, *values: str) -> list[QuarterFigure]:
    """Consecutive quarters' figures from (start_year, start_quarter)."""
    figures = []
    index = start_year * 4 + start_quarter - 1
    for offset, value in enumerate(values):
        year, quarter = divmod(index + offset, 4)
        figures.append(QuarterFigure(year, quarter + 1, D(value)))
    return figures


# ---- The methods -----------------------------------------------------------------------------------


def test_a_snapshot_follows_the_straight_line_through_the_last_four_quarters():
    # 600, 590, 580, 570 from 2009/10 Q3 to 2010/11 Q2: down 10 a quarter, so 560 at Q3 and 550 at Q4.
    forecast = forecast_year_end(quarters(2009, 3, "600", "590", "580", "570"), year=2010, aggregation="snapshot")
    assert forecast.method == Method.TREND
    assert forecast.value == D("550")
    assert forecast.basis == "2009/10 Q3 to 2010/11 Q2 (4 quarters)"


def test_the_trend_is_least_squares_not_the_last_two_points():
    # 1, 2, 2, 4 (Q3 to Q2): x̄ = 1.5, ȳ = 2.25; Σ(x − x̄)(y − ȳ) = 1.875 + 0.125 − 0.125 + 2.625 = 4.5,
    # Σ(x − x̄)² = 5, slope 0.9; at Q4 (x = 5): 2.25 + 0.9 × 3.5 = 5.4, written as whole numbers: 5.
    forecast = forecast_year_end(quarters(2009, 3, "1", "2", "2", "4"), year=2010, aggregation="snapshot")
    assert forecast.value == D("5")


def test_a_forecast_is_no_finer_than_its_figures():
    # 35.2, 36.3, 36, 35.3: slope (−1.5 × −0.5 − 0.5 × 0.6 + 0.5 × 0.3 + 1.5 × −0.4) ÷ 5 = 0, so the mean, 35.7.
    forecast = forecast_year_end(quarters(2009, 3, "35.2", "36.3", "36", "35.3"), year=2010, aggregation="snapshot")
    assert forecast.value == D("35.7")
    assert str(forecast.value) == "35.7"
    # 10, 11, 11, 13: slope (−1.5 × −1.25 − 0.5 × −0.25 + 0.5 × −0.25 + 1.5 × 1.75) ÷ 5 = 0.9; 11.25 + 0.9 × 3.5
    # = 14.4 → 14 (whole numbers in, a whole number out).
    assert forecast_year_end(quarters(2009, 3, "10", "11", "11", "13"), year=2010, aggregation="snapshot").value == 14


def test_a_trend_is_not_carried_below_nought_or_above_a_hundred_percent():
    # 30, 20, 10, 5: slope −8.5, ȳ 16.25; at Q4 16.25 − 8.5 × 3.5 = −13.5: no count is below nought.
    falling = quarters(2009, 3, "30", "20", "10", "5")
    assert forecast_year_end(falling, year=2010, aggregation="snapshot").value == D("-14")
    lowest, highest = limits("count")
    assert forecast_year_end(falling, year=2010, aggregation="snapshot", lowest=lowest, highest=highest).value == 0
    rising = quarters(2009, 3, "90", "94", "97", "99")
    lowest, highest = limits("percentage")
    assert forecast_year_end(rising, year=2010, aggregation="snapshot", lowest=lowest, highest=highest).value == 100


def test_a_cumulative_figure_runs_at_its_rate_to_the_year_end():
    # 120 in the year to Q2 (half the year): 240 by Q4. At Q1, 70 → 280; at Q3, 150 → 200.
    assert forecast_year_end(quarters(2010, 1, "70", "120"), year=2010, aggregation="cumulative").value == D("240")
    assert forecast_year_end(quarters(2010, 1, "70"), year=2010, aggregation="cumulative").value == D("280")
    at_q3 = forecast_year_end(quarters(2010, 1, "70", "120", "150"), year=2010, aggregation="cumulative")
    assert (at_q3.method, at_q3.value, at_q3.basis) == (Method.RUN_RATE, D("200"), "2010/11 Q3 (1 quarter)")


def test_summed_quarters_run_at_their_rate_and_need_every_quarter_so_far():
    # 30 + 50 in two quarters: 80 × 4 ÷ 2 = 160.
    forecast = forecast_year_end(quarters(2010, 1, "30", "50"), year=2010, aggregation="sum")
    assert (forecast.method, forecast.value) == (Method.RUN_RATE, D("160"))
    gap = [QuarterFigure(2010, 1, D("30")), QuarterFigure(2010, 3, D("50"))]
    missing = forecast_year_end(gap, year=2010, aggregation="sum")
    assert (missing.method, missing.value) == (Method.NONE, None)
    assert "cannot be added up" in missing.reason


def test_an_average_adds_the_trend_for_the_quarters_to_come():
    # 6, 8 (2009/10 Q3-Q4), 10, 12 (2010/11 Q1-Q2): the line rises 2 a quarter, so 14 at Q3 and 16 at Q4;
    # the year's average (10 + 12 + 14 + 16) ÷ 4 = 13.
    forecast = forecast_year_end(quarters(2009, 3, "6", "8", "10", "12"), year=2010, aggregation="average")
    assert (forecast.method, forecast.value) == (Method.TREND, D("13"))


def test_with_the_fourth_quarter_in_the_years_figure_is_known():
    snapshot = forecast_year_end(quarters(2010, 1, "5", "6", "7", "8"), year=2010, aggregation="snapshot")
    assert (snapshot.method, snapshot.value) == (Method.YEAR_FIGURE, D("8"))
    cumulative = forecast_year_end(quarters(2010, 1, "5", "9", "14", "20"), year=2010, aggregation="cumulative")
    assert (cumulative.method, cumulative.value) == (Method.YEAR_FIGURE, D("20"))
    summed = forecast_year_end(quarters(2010, 1, "5", "6", "7", "8"), year=2010, aggregation="sum")
    assert summed.value == D("26")
    average = forecast_year_end(quarters(2010, 1, "5", "6", "7", "8"), year=2010, aggregation="average")
    assert str(average.value) == "6.5"  # (5 + 6 + 7 + 8) ÷ 4: worked out, not a forecast, so not rounded to 7


def test_a_figure_for_the_year_itself_is_the_years_figure_whatever_the_quarters_say():
    # A survey reported once a year: no quarters at all, then its year's figure.
    assert forecast_year_end([], year=2010, aggregation="snapshot").method == Method.NONE
    annual = forecast_year_end([], year=2010, aggregation="snapshot", year_figure=D("74.0"))
    assert (annual.method, annual.value, annual.basis) == (Method.YEAR_FIGURE, D("74.0"), "the figure reported for 2010/11")
    # Quarters pointing elsewhere (a trend to 10) give way to the year's own figure.
    both = forecast_year_end(quarters(2009, 3, "5", "6", "7", "8"), year=2010, aggregation="snapshot", year_figure=D("5"))
    assert (both.method, both.value) == (Method.YEAR_FIGURE, D("5"))
    assert outlook(annual, D("72.9"), polarity="higher") == Outlook.MET


@pytest.mark.parametrize(
    ("figures", "aggregation", "reason"),
    [
        (quarters(2009, 1, "5", "6", "7", "8"), "snapshot", "No quarterly figure yet for 2010/11."),
        (quarters(2009, 4, "5", "6", "7"), "snapshot", "The trend needs a figure for each of the last 4 quarters."),
        ([*quarters(2009, 2, "5", "6"), *quarters(2010, 1, "7", "8")], "snapshot", "each of the last 4 quarters"),
        ([], "cumulative", "No quarterly figure yet for 2010/11."),
        ([QuarterFigure(2010, 2, D("4"))], "average", "year's average cannot be worked out"),
    ],
)
def test_without_enough_figures_there_is_no_forecast_and_the_reason_says_why(figures, aggregation, reason):
    forecast = forecast_year_end(figures, year=2010, aggregation=aggregation)
    assert forecast.method == Method.NONE
    assert forecast.value is None
    assert reason in forecast.reason
    assert forecast.basis == forecast.reason
    assert outlook(forecast, D("10"), polarity="higher") == Outlook.NOT_ENOUGH_DATA


# ---- Against the year's target ---------------------------------------------------------------------


def trend(value: str) -> Forecast:
    return Forecast(Method.TREND, D(value), tuple(quarters(2009, 3, "1", "1", "1", "1")))


@pytest.mark.parametrize(
    ("forecast", "target", "polarity", "expected"),
    [
        # Lower is better, target 570, band 5% = 28.5: 540 beats it by 30 (≥ 28.5), 550 by only 20.
        ("540", "570", "lower", Outlook.LIKELY_TO_MEET),
        ("550", "570", "lower", Outlook.TOO_CLOSE_TO_CALL),
        ("570", "570", "lower", Outlook.TOO_CLOSE_TO_CALL),  # exactly on target: could go either way
        ("598.5", "570", "lower", Outlook.TOO_CLOSE_TO_CALL),  # short by exactly the band
        ("599", "570", "lower", Outlook.LIKELY_TO_MISS),
        # Higher is better, target 200, band 10.
        ("240", "200", "higher", Outlook.LIKELY_TO_MEET),
        ("210", "200", "higher", Outlook.LIKELY_TO_MEET),
        ("195", "200", "higher", Outlook.TOO_CLOSE_TO_CALL),
        ("160", "200", "higher", Outlook.LIKELY_TO_MISS),
        # Closer is better, target 10, band 0.5: within the band meets, beyond twice the band misses.
        ("10.4", "10", "closer", Outlook.LIKELY_TO_MEET),
        ("9.2", "10", "closer", Outlook.TOO_CLOSE_TO_CALL),
        ("11.2", "10", "closer", Outlook.LIKELY_TO_MISS),
        ("5", "10", "neither", Outlook.NOT_JUDGED),
    ],
)
def test_a_forecast_against_the_years_target_with_the_band_as_the_margin_of_doubt(
    forecast, target, polarity, expected
):
    assert outlook(trend(forecast), D(target), polarity=polarity) == expected


def test_a_target_in_words_is_never_met_or_missed():
    # NI 152's "No survey" or "100 taken off benefits in key wards": a forecast, but nothing to judge it by.
    assert outlook(trend("42"), None, polarity="higher") == Outlook.NO_NUMERIC_TARGET


def test_a_wider_tolerance_widens_the_doubt():
    assert outlook(trend("550"), D("570"), polarity="lower", tolerance=D("0.01")) == Outlook.LIKELY_TO_MEET


def test_the_years_own_figure_is_met_or_missed_not_likely():
    known = Forecast(Method.YEAR_FIGURE, D("575"), tuple(quarters(2010, 4, "575")))
    assert outlook(known, D("570"), polarity="lower") == Outlook.MISSED  # close to target is still missed
    assert outlook(known, D("580"), polarity="lower") == Outlook.MET
    assert Outlook.MISSED.is_miss and Outlook.LIKELY_TO_MISS.is_miss and not Outlook.TOO_CLOSE_TO_CALL.is_miss


# ---- Split indicators --------------------------------------------------------------------------------


def test_a_split_indicator_with_bands_in_opposite_directions_is_forecast_part_by_part():
    # NI 187 has no direction of its own; its bands do: fewer people in homes below SAP 35 is better,
    # more in homes rated 65 and above. From 2009/10 Q3 to 2010/11 Q2:
    # below 35: 10, 9, 8, 7 → 5 at Q4; target 6 (band 0.3): 1 better, likely to meet.
    # 65 and above: 20, 21, 22, 23 → 25 at Q4; target 30 (band 1.5): 5 short, likely to miss.
    indicator_polarity = "neither"
    below = forecast_year_end(quarters(2009, 3, "10", "9", "8", "7"), year=2010, aggregation="snapshot")
    above = forecast_year_end(quarters(2009, 3, "20", "21", "22", "23"), year=2010, aggregation="snapshot")
    assert (below.value, above.value) == (D("5"), D("25"))
    parts = [
        outlook(below, D("6"), polarity=part_polarity("lower", indicator_polarity)),
        outlook(above, D("30"), polarity=part_polarity("higher", indicator_polarity)),
    ]
    assert parts == [Outlook.LIKELY_TO_MEET, Outlook.LIKELY_TO_MISS]
    assert combined_outlook(parts) == Outlook.LIKELY_TO_MISS
    # Judged by the indicator's own polarity, neither band would be judged at all.
    assert outlook(above, D("30"), polarity=indicator_polarity) == Outlook.NOT_JUDGED


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([Outlook.LIKELY_TO_MEET, Outlook.LIKELY_TO_MEET], Outlook.LIKELY_TO_MEET),
        ([Outlook.LIKELY_TO_MEET, Outlook.TOO_CLOSE_TO_CALL], Outlook.TOO_CLOSE_TO_CALL),
        ([Outlook.LIKELY_TO_MEET, Outlook.NOT_ENOUGH_DATA], Outlook.NOT_ENOUGH_DATA),  # one part's promise only
        ([Outlook.LIKELY_TO_MEET, Outlook.NO_NUMERIC_TARGET], Outlook.LIKELY_TO_MEET),  # a part in words
        ([Outlook.MET, Outlook.MISSED], Outlook.MISSED),
        ([Outlook.NO_NUMERIC_TARGET, Outlook.NOT_ENOUGH_DATA], Outlook.NOT_ENOUGH_DATA),
        ([Outlook.NO_NUMERIC_TARGET, Outlook.NO_NUMERIC_TARGET], Outlook.NO_NUMERIC_TARGET),
        ([], Outlook.NOT_ENOUGH_DATA),
    ],
)
def test_a_split_indicators_outlook_is_its_least_promising_parts(parts, expected):
    assert combined_outlook(parts) == expected


def test_the_methodology_explains_every_outlook_and_method():
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "status-rules.md").read_text(encoding="utf-8").lower()
    for label in [*(o.label for o in Outlook), "run rate", "trend of the last four quarters"]:
        assert label.lower() in text, label
