"""Forecasts to the end of the financial year: pure rules, no database. Explained in docs/status-rules.md.

- forecast_year_end(): where an indicator's figures point for the year's end, by a method simple enough
  to check by hand: the run rate for measures that add up over the year, the trend of the last four
  quarters for snapshots and averages, or no forecast ("not enough data") when the figures do not allow
  one. A forecast is rounded to the precision of the figures it comes from, no finer.
- outlook(): that forecast against the year's target, respecting polarity: "likely to meet", "too close
  to call" or "likely to miss"; "met" or "missed" once the year's own figure is in.
- combined_outlook(): a split indicator's outlook from its parts' (each judged in its own direction,
  status.part_polarity).

A forecast is never more certain than its figures: a forecast that lands within the indicator's
tolerance band of the target is "too close to call", not "likely to meet" or "likely to miss".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from indicators.status import DEFAULT_TOLERANCE, Aggregation, Polarity, Rag, rag

MAX_PLACES = 4  # figures are stored to four decimal places
TREND_QUARTERS = 4
QUARTERS_READ = TREND_QUARTERS + 3  # what a forecast reads at most: four quarters ending in this year's fourth


@dataclass(frozen=True, order=True)
class QuarterFigure:
    """A quarter's figure: `year` is the start year of its financial year, `quarter` 1-4 (Q1 April-June)."""

    year: int
    quarter: int
    value: Decimal

    @property
    def index(self) -> int:
        """Quarters counted from a fixed start, so that consecutive quarters differ by one."""
        return self.year * 4 + self.quarter - 1

    @property
    def label(self) -> str:
        return f"{_year_label(self.year)} Q{self.quarter}"


class Method(StrEnum):
    RUN_RATE = "run_rate"
    TREND = "trend"
    YEAR_FIGURE = "year_figure"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "run_rate": "Run rate",
            "trend": "Trend of the last four quarters",
            "year_figure": "Year's own figure",
            "none": "Not enough data",
        }[self.value]


@dataclass(frozen=True)
class Forecast:
    """A year-end forecast: its figure (None when there is none), how it was made, from which figures, and,
    when there is none, why in words."""

    method: Method
    value: Decimal | None = None
    based_on: tuple[QuarterFigure, ...] = ()
    reason: str = ""

    @property
    def basis(self) -> str:
        """The figures a forecast rests on, in words: "2009/10 Q3 to 2010/11 Q2 (4 quarters)"."""
        if not self.based_on:
            return self.reason
        first, last = self.based_on[0], self.based_on[-1]
        count = len(self.based_on)
        span = first.label if count == 1 else f"{first.label} to {last.label}"
        return f"{span} ({count} quarter{'s' if count != 1 else ''})"


def _none(reason: str) -> Forecast:
    return Forecast(Method.NONE, reason=reason)


def forecast_year_end(
    figures: Sequence[QuarterFigure],
    *,
    year: int,
    aggregation: str,
    lowest: Decimal | None = None,
    highest: Decimal | None = None,
    year_figure: Decimal | None = None,
) -> Forecast:
    """The figure the financial year starting in `year` is heading for, from quarterly `figures` up to the
    quarter reported on (later ones must be left out by the caller).

    - The year's own figure, when one is reported (`year_figure`: a return for the year itself, such as a
      survey's or an academic year's reported in it), is the year's figure: nothing is forecast.

    - Cumulative (year-to-date) figures: the run rate, the latest year-to-date figure × 4 ÷ quarters
      elapsed. Summed quarters: the year's quarters so far, all present, summed, × 4 ÷ their number.
    - Snapshots: the straight line through the last four quarters' figures (least squares), carried to
      the fourth quarter. The four must be consecutive and end in the year forecast.
    - Averages: the year's quarters so far with the trend's values for the quarters still to come,
      averaged.
    - With the fourth quarter in, the year's figure itself (no forecast is needed).

    `lowest` and `highest` are what a figure in the indicator's unit can be (indicators.units.limits): a
    trend is not carried below nought or above 100%.
    """
    if year_figure is not None:
        return Forecast(Method.YEAR_FIGURE, year_figure, reason=f"the figure reported for {_year_label(year)}")
    this_year = sorted(f for f in figures if f.year == year)
    if not this_year:
        return _none(f"No quarterly figure yet for {_year_label(year)}.")
    latest = this_year[-1]

    def made(method: Method, value: Decimal, used) -> Forecast:
        # A forecast is rounded to the precision of the figures it comes from and kept within what the
        # unit allows; the year's own figure (an average of four quarters, say) is worked out, not guessed.
        places = MAX_PLACES if method == Method.YEAR_FIGURE else min(max(_places(f.value) for f in used), MAX_PLACES)
        rounded = _round(_within(value, lowest, highest), places)
        return Forecast(method, _round(rounded, _places(rounded)), tuple(sorted(used)))

    so_far_complete = [f.quarter for f in this_year] == list(range(1, latest.quarter + 1))
    if aggregation in (Aggregation.CUMULATIVE, Aggregation.SUM):
        if aggregation == Aggregation.CUMULATIVE:
            used, so_far = [latest], latest.value
        elif not so_far_complete:
            return _none("A quarter of the year so far has no figure, so the quarters cannot be added up.")
        else:
            used, so_far = this_year, sum((f.value for f in this_year), Decimal(0))
        if latest.quarter == 4:
            return made(Method.YEAR_FIGURE, so_far, used)
        return made(Method.RUN_RATE, so_far * 4 / latest.quarter, used)
    if aggregation == Aggregation.AVERAGE:
        if not so_far_complete:
            return _none("A quarter of the year so far has no figure, so the year's average cannot be worked out.")
        if latest.quarter == 4:
            return made(Method.YEAR_FIGURE, sum((f.value for f in this_year), Decimal(0)) / 4, this_year)
    elif latest.quarter == 4:
        return made(Method.YEAR_FIGURE, latest.value, [latest])
    by_index = {f.index: f for f in figures}
    window = [by_index.get(latest.index - back) for back in range(TREND_QUARTERS - 1, -1, -1)]
    if any(f is None for f in window):
        return _none(f"The trend needs a figure for each of the last {TREND_QUARTERS} quarters.")
    line = _trend_line(window)
    year_end = year * 4 + 3
    if aggregation == Aggregation.AVERAGE:
        projected = [_within(line(index), lowest, highest) for index in range(latest.index + 1, year_end + 1)]
        value = sum([*(f.value for f in this_year), *projected], Decimal(0)) / 4
        return made(Method.TREND, value, {*window, *this_year})
    return made(Method.TREND, line(year_end), window)


def _trend_line(window: list[QuarterFigure]):
    """The least-squares straight line through consecutive quarters' figures, as a function of the quarter's
    index: slope = Σ(x − x̄)(y − ȳ) ÷ Σ(x − x̄)², through the point (x̄, ȳ)."""
    xs = [Decimal(f.index) for f in window]
    ys = [f.value for f in window]
    x_mean = sum(xs, Decimal(0)) / len(xs)
    y_mean = sum(ys, Decimal(0)) / len(ys)
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - x_mean) ** 2 for x in xs
    )
    return lambda index: y_mean + slope * (Decimal(index) - x_mean)


def _year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _within(value: Decimal, lowest: Decimal | None, highest: Decimal | None) -> Decimal:
    if lowest is not None and value < lowest:
        return lowest
    if highest is not None and value > highest:
        return highest
    return value


# ---- Against the year's target ---------------------------------------------------------------------


class Outlook(StrEnum):
    LIKELY_TO_MEET = "likely_to_meet"
    TOO_CLOSE_TO_CALL = "too_close_to_call"
    LIKELY_TO_MISS = "likely_to_miss"
    MET = "met"
    MISSED = "missed"
    NO_NUMERIC_TARGET = "no_target"
    NOT_JUDGED = "not_judged"
    NOT_ENOUGH_DATA = "not_enough_data"

    @property
    def label(self) -> str:
        return OUTLOOK_LABELS[self]

    @property
    def is_miss(self) -> bool:
        return self in (Outlook.LIKELY_TO_MISS, Outlook.MISSED)


OUTLOOK_LABELS = {
    Outlook.LIKELY_TO_MEET: "Likely to meet",
    Outlook.TOO_CLOSE_TO_CALL: "Too close to call",
    Outlook.LIKELY_TO_MISS: "Likely to miss",
    Outlook.MET: "Met",
    Outlook.MISSED: "Missed",
    Outlook.NO_NUMERIC_TARGET: "No numeric target",
    Outlook.NOT_JUDGED: "Not judged",
    Outlook.NOT_ENOUGH_DATA: "Not enough data",
}


def outlook(
    forecast: Forecast,
    target: Decimal | None,
    *,
    polarity: str,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Outlook:
    """A forecast against the year's target, with the indicator's tolerance band as the margin of doubt.

    Higher or lower is better: "likely to meet" when the forecast beats the target by at least the band
    (tolerance × |target|), "likely to miss" when it falls short by more than the band, and "too close to
    call" in between. Closer is better (the target is already a band): "likely to meet" within the band,
    "likely to miss" beyond twice the band. With the fourth quarter in, the year's figure is judged as any
    figure is (status.rag): on track is "met", anything else "missed". A target in words gives "no numeric
    target", an indicator without a direction "not judged".
    """
    if forecast.value is None:
        return Outlook.NOT_ENOUGH_DATA
    if target is None:
        return Outlook.NO_NUMERIC_TARGET
    if polarity not in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.CLOSER_IS_BETTER):
        return Outlook.NOT_JUDGED
    if forecast.method == Method.YEAR_FIGURE:
        judged = rag(forecast.value, target, polarity=polarity, tolerance=tolerance)
        return Outlook.MET if judged == Rag.GREEN else Outlook.MISSED
    band = abs(target) * tolerance
    if polarity == Polarity.CLOSER_IS_BETTER:
        distance = abs(forecast.value - target)
        if distance <= band:
            return Outlook.LIKELY_TO_MEET
        return Outlook.TOO_CLOSE_TO_CALL if distance <= 2 * band else Outlook.LIKELY_TO_MISS
    surplus = forecast.value - target if polarity == Polarity.HIGHER_IS_BETTER else target - forecast.value
    if surplus >= band:
        return Outlook.LIKELY_TO_MEET
    if surplus < -band:
        return Outlook.LIKELY_TO_MISS
    return Outlook.TOO_CLOSE_TO_CALL


# Worst first: a split indicator takes the outlook of its least promising part.
_COMBINED_ORDER = (
    Outlook.MISSED,
    Outlook.LIKELY_TO_MISS,
    Outlook.TOO_CLOSE_TO_CALL,
    Outlook.NOT_ENOUGH_DATA,
    Outlook.LIKELY_TO_MEET,
    Outlook.MET,
    Outlook.NO_NUMERIC_TARGET,
    Outlook.NOT_JUDGED,
)
_JUDGED = {Outlook.MISSED, Outlook.LIKELY_TO_MISS, Outlook.TOO_CLOSE_TO_CALL, Outlook.LIKELY_TO_MEET, Outlook.MET}


def combined_outlook(parts: Sequence[Outlook]) -> Outlook:
    """A split indicator's outlook: any part missing makes the whole miss; a part too close to call or
    without enough data keeps the whole from "likely to meet" (one part's promise is not the whole's).
    Parts without a numeric target or a direction count only when no part is judged."""
    if not parts:
        return Outlook.NOT_ENOUGH_DATA
    judged = [p for p in parts if p in _JUDGED or p == Outlook.NOT_ENOUGH_DATA]
    pool = judged if any(p in _JUDGED for p in judged) else list(parts)
    return min(pool, key=_COMBINED_ORDER.index)
