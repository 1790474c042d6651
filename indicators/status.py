"""The performance status engine: pure rules, no database. Explained in docs/status-rules.md.

- rag(): a figure against its target, respecting polarity, with a tolerance band.
- comparable_target(): the part of an annual target a quarter's figure should be compared with.
- direction(): better, worse or the same as a previous figure, respecting polarity.
- is_large_change(): a move big enough to ask "is this a keying error?".
- worst(), rollup(): statuses of split indicators and of outcomes, priorities, plans and partners.
- risk_band(): a risk's residual score as low, medium or high on its register's scale.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

DEFAULT_TOLERANCE = Decimal("0.05")


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"
    CLOSER_IS_BETTER = "closer"
    NEITHER = "neither"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_NUMERIC_TARGET = "no_target"
    NO_DATA = "no_data"
    NOT_JUDGED = "not_judged"

    @property
    def label(self) -> str:
        return RAG_LABELS[self]


RAG_LABELS = {
    Rag.GREEN: "On track",
    Rag.AMBER: "Close to target",
    Rag.RED: "Off track",
    Rag.NO_NUMERIC_TARGET: "No numeric target",
    Rag.NO_DATA: "No data",
    Rag.NOT_JUDGED: "Not judged",
}


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    NOT_COMPARABLE = "not_comparable"


class Aggregation(StrEnum):
    SNAPSHOT = "snapshot"
    CUMULATIVE = "cumulative"
    AVERAGE = "average"
    SUM = "sum"


def rag(
    actual: Decimal | None,
    target: Decimal | None,
    *,
    polarity: str,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Rag:
    """Green when the target is met; amber when short of it by at most tolerance × |target|; else red.

    "Closer is better" indicators are green within the tolerance either side and red beyond.
    A target that is words, not a number, gives NO_NUMERIC_TARGET, never red. An indicator with
    no polarity is not judged.
    """
    if actual is None:
        return Rag.NO_DATA
    if target is None:
        return Rag.NO_NUMERIC_TARGET
    band = abs(target) * tolerance
    if polarity == Polarity.CLOSER_IS_BETTER:
        distance = abs(actual - target)
        if distance <= band:
            return Rag.GREEN
        return Rag.AMBER if distance <= 2 * band else Rag.RED
    if polarity == Polarity.HIGHER_IS_BETTER:
        shortfall = target - actual
    elif polarity == Polarity.LOWER_IS_BETTER:
        shortfall = actual - target
    else:
        return Rag.NOT_JUDGED
    if shortfall <= 0:
        return Rag.GREEN
    return Rag.AMBER if shortfall <= band else Rag.RED


def part_polarity(own: str | None, indicator: str) -> str:
    """The direction a part of a split indicator is judged in: its own when it has one (NI 187's two
    bands run opposite ways), else its indicator's. Entry, sign-off, pages and reports all ask this."""
    return own or indicator


def comparable_target(annual: Decimal | None, *, quarter: int | None, aggregation: str) -> Decimal | None:
    """The target a figure for `quarter` (1-4, None for the whole year) is compared with.

    Snapshot and average figures are compared with the annual target as it stands; cumulative
    (year-to-date) figures with the share of the year elapsed; a quarter's own figure of a summed
    indicator with a quarter of the year's target.
    """
    if annual is None or quarter is None:
        return annual
    if aggregation == Aggregation.CUMULATIVE:
        return annual * quarter / 4
    if aggregation == Aggregation.SUM:
        return annual / 4
    return annual


def direction(current: Decimal | None, previous: Decimal | None, *, polarity: str) -> Direction:
    """Improving or worsening against an earlier figure, in the sense the polarity gives."""
    if current is None or previous is None or polarity not in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
        return Direction.NOT_COMPARABLE
    if current == previous:
        return Direction.NO_CHANGE
    better = current > previous if polarity == Polarity.HIGHER_IS_BETTER else current < previous
    return Direction.IMPROVING if better else Direction.WORSENING


def is_large_change(current: Decimal, previous: Decimal | None, *, threshold_percent: Decimal) -> bool:
    """A move of more than threshold_percent of the previous figure (any move away from zero counts)."""
    if previous is None:
        return False
    if previous == 0:
        return current != 0
    return abs(current - previous) / abs(previous) * 100 > threshold_percent


@dataclass(frozen=True)
class Judgement:
    rag: Rag
    target: Decimal | None

    @property
    def off_target(self) -> bool:
        return self.rag in (Rag.AMBER, Rag.RED)


# ---- Roll-ups ------------------------------------------------------------------------------------

ROLLUP_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NO_NUMERIC_TARGET, Rag.NOT_JUDGED, Rag.NO_DATA)
SEVERITY = {rag: index for index, rag in enumerate(ROLLUP_ORDER)}


def worst(rags: list[Rag]) -> Rag:
    """The status of a split indicator: its worst part (red before amber before green)."""
    judged = [rag for rag in rags if rag in (Rag.RED, Rag.AMBER, Rag.GREEN)]
    if judged:
        return min(judged, key=SEVERITY.__getitem__)
    return min(rags, key=SEVERITY.__getitem__) if rags else Rag.NO_DATA


@dataclass(frozen=True)
class Rollup:
    """How many indicators of an outcome, priority, plan or partner are green, amber, red or without data."""

    green: int = 0
    amber: int = 0
    red: int = 0
    no_data: int = 0
    not_judged: int = 0  # no numeric target, or no polarity

    @property
    def total(self) -> int:
        return self.green + self.amber + self.red + self.no_data + self.not_judged

    @property
    def headline(self) -> Rag:
        """The status a roll-up is summarised by: red if any indicator is red, else amber, else green;
        with figures but none judged (only text targets), "not judged"; with no figures, "no data"."""
        for rag, count in ((Rag.RED, self.red), (Rag.AMBER, self.amber), (Rag.GREEN, self.green)):
            if count:
                return rag
        return Rag.NOT_JUDGED if self.not_judged else Rag.NO_DATA

    def __add__(self, other: "Rollup") -> "Rollup":
        return Rollup(*(a + b for a, b in zip(self._counts(), other._counts(), strict=True)))

    def _counts(self) -> tuple[int, int, int, int, int]:
        return (self.green, self.amber, self.red, self.no_data, self.not_judged)


def rollup(rags: list[Rag]) -> Rollup:
    counts = {Rag.GREEN: 0, Rag.AMBER: 0, Rag.RED: 0, Rag.NO_DATA: 0}
    not_judged = 0
    for rag in rags:
        if rag in counts:
            counts[rag] += 1
        else:
            not_judged += 1
    return Rollup(counts[Rag.GREEN], counts[Rag.AMBER], counts[Rag.RED], counts[Rag.NO_DATA], not_judged)


# ---- Risks ---------------------------------------------------------------------------------------


class RiskBand(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    UNSCORED = "unscored"

    @property
    def label(self) -> str:
        return {"low": "Low", "medium": "Medium", "high": "High", "unscored": "Not scored"}[self.value]


def risk_scale(scores: list[int]) -> int:
    """The top of a register's scale: 9 for a 3×3 register (every score 9 or less), else 25 for 5×5."""
    return 9 if all(score <= 9 for score in scores) else 25


def risk_band(score: int | None, *, scale: int) -> RiskBand:
    """Low up to a third of the scale's top score, medium up to two thirds, high above."""
    if score is None:
        return RiskBand.UNSCORED
    if score <= scale / 3:
        return RiskBand.LOW
    if score <= 2 * scale / 3:
        return RiskBand.MEDIUM
    return RiskBand.HIGH
