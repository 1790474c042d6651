"""The rules a returned figure must meet, as pure functions (no database), shared by the entry form,
the spreadsheet upload and the API so that every channel judges a figure the same way."""

from dataclasses import dataclass, field
from decimal import Decimal

from core.numbers import format_figure
from indicators import status
from indicators.units import check_value

DEFAULT_CHANGE_ALERT_PERCENT = Decimal(50)


@dataclass(frozen=True)
class Problem:
    field: str  # the form field or spreadsheet column the problem belongs to
    message: str


@dataclass
class PartInput:
    """What was entered for the whole indicator or one breakdown."""

    key: str  # "value" for the whole indicator, else the breakdown's slug
    label: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    target: Decimal | None = None  # the comparable target, when the target is numeric
    previous: Decimal | None = None
    polarity: str = ""  # a breakdown's own direction, when it runs the other way from its indicator


@dataclass
class IndicatorFacts:
    unit: str
    polarity: str
    tolerance: Decimal
    rate_multiplier: Decimal | None
    change_alert_percent: Decimal | None


@dataclass
class EntryInput:
    parts: list[PartInput]
    commentary: str = ""
    change_confirmed: bool = False
    submitting: bool = False
    problems: list[Problem] = field(default_factory=list)




def rate_from(numerator: Decimal, denominator: Decimal, multiplier: Decimal) -> Decimal:
    return (numerator / denominator * multiplier).quantize(Decimal("0.0001"))


def check_entry(entry: EntryInput, facts: IndicatorFacts) -> list[Problem]:
    """Every problem with an entry, each against the field it belongs to. Fills in rates from
    numerator and denominator. Completeness and the commentary rule apply when submitting."""
    problems: list[Problem] = []
    off_target = []
    large_changes = []
    for part in entry.parts:
        prefix = part.key
        if facts.rate_multiplier is not None:
            if part.numerator is None and part.denominator is None:
                part.value = None
            elif part.numerator is None or part.denominator is None:
                missing = "numerator" if part.numerator is None else "denominator"
                problems.append(Problem(f"{prefix}_{missing}", f"Enter the {missing} for {part.label}"))
                continue
            elif part.denominator <= 0:
                problems.append(
                    Problem(f"{prefix}_denominator", f"The denominator for {part.label} must be more than 0")
                )
                continue
            elif part.numerator < 0:
                problems.append(Problem(f"{prefix}_numerator", f"The numerator for {part.label} cannot be negative"))
                continue
            else:
                part.value = rate_from(part.numerator, part.denominator, facts.rate_multiplier)
        if part.value is None:
            if entry.submitting:
                problems.append(Problem(prefix, f"Enter {part.label} before submitting"))
            continue
        if message := check_value(part.value, unit=facts.unit, label=part.label):
            problems.append(Problem(prefix, message))
            continue
        polarity = status.part_polarity(part.polarity, facts.polarity)
        judged = status.rag(part.value, part.target, polarity=polarity, tolerance=facts.tolerance / 100)
        if judged in (status.Rag.AMBER, status.Rag.RED):
            off_target.append(part)
        threshold = facts.change_alert_percent or DEFAULT_CHANGE_ALERT_PERCENT
        if status.is_large_change(part.value, part.previous, threshold_percent=threshold):
            large_changes.append(part)
    if large_changes and not entry.change_confirmed:
        described = "; ".join(
            f"{p.label} moves from {_show(p.previous, facts)} to {_show(p.value, facts)}" for p in large_changes
        )
        problems.append(Problem("change_confirmed", f"Check the figures: {described}. If they are right, confirm them"))
    if entry.submitting and off_target and not entry.commentary.strip():
        described = ", ".join(
            f"{p.label} ({_show(p.value, facts)} against a target of {_show(p.target, facts)})" for p in off_target
        )
        problems.append(Problem("commentary", f"Explain the performance: {described} is off target"))
    return problems


def _show(number: Decimal | None, facts: IndicatorFacts) -> str:
    return format_figure(number, facts.unit, none="none")
