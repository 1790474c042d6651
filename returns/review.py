"""What the performance team reads before signing a return off, in a fixed number of queries.

- the figure judged as it would be published: by the one builder (indicators.performance.judge_indicators,
  told to count this return as if approved), so its status, target and direction are those the public
  pages will show once it is approved;
- the published figures before it, as a chart and a table, and the same quarter last year;
- the commentary as it changed, version by version (the return's audit history);
- what changed since the performance team last returned it, if it did.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q

from core.numbers import format_figure
from indicators import charts
from indicators.models import ReportingPeriod, Return, ReturnStatus, Value
from indicators.performance import IndicatorStatus, PartStatus, judge_indicators
from returns.models import ReportingRound

# The return's texts a reviewer compares, with the words the page uses for each.
TEXTS = {
    "commentary": "Commentary",
    "remedial_action": "Remedial action",
    "data_source": "Data source",
    "evidence": "Evidence",
    "confidence": "Confidence",
}


@dataclass
class Version:
    """The commentary as one save left it."""

    when: datetime
    who: str
    status: str
    commentary: str
    remedial_action: str


@dataclass
class Change:
    """One thing the officer changed after the return came back: its name, and before and after in words."""

    what: str
    before: str
    after: str


@dataclass
class SinceReturned:
    """The last time the return was sent back, why, and what the officer has changed since."""

    when: datetime
    who: str
    reason: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class Part:
    """The return's figure for the whole indicator or one breakdown, judged (its status, target, direction,
    the figure before it and a year before), and the figure in words (with a rate's numerator and
    denominator)."""

    judged: PartStatus
    figure: str


@dataclass
class Row:
    """A figure in the table beside the chart: a published one, or this return's."""

    period: ReportingPeriod
    part: str
    value: Decimal | None
    target: Decimal | None
    submitted: bool


@dataclass
class Review:
    submission: Return
    judged: IndicatorStatus
    parts: list[Part]
    rows: list[Row]
    chart: dict | None
    versions: list[Version]
    since_returned: SinceReturned | None

    @property
    def is_split(self) -> bool:
        return any(part.judged.breakdown for part in self.parts)

    @property
    def earlier_versions(self) -> list[Version]:
        """The commentary's versions before the one now submitted, newest first."""
        return self.versions[-2::-1]


def review_of(submission: Return) -> Review:
    """Everything the review page shows of a return (its indicator, period, entered_by and values with
    their breakdowns already read). Eight queries whatever the length of its history: the round, judging
    (five), the return's history, its figures' history."""
    indicator = submission.indicator
    round_ = ReportingRound.objects.select_related("period").governing(submission.period)
    as_of = round_.period if round_ is not None else submission.period
    judged = judge_indicators([indicator], as_of=as_of, also_counting=Q(pk=submission.pk))[indicator.pk]
    records = list(submission.history.select_related("history_user").order_by("history_date", "history_id"))
    values = {value.breakdown.name if value.breakdown_id else None: value for value in submission.values.all()}
    parts = []
    for judged_part in judged.parts:
        # Only the parts this return holds (a split indicator's whole, published earlier, is not this figure).
        value = values.get(judged_part.breakdown)
        if value is not None and judged_part.latest and judged_part.latest.period.pk == submission.period_id:
            figure = _figure(value.value, value.numerator, value.denominator, unit=indicator.unit)
            parts.append(Part(judged_part, figure))
    rows = [
        Row(point.period, part.judged.breakdown or "", point.value, point.target, point.period == submission.period)
        for part in parts
        for point in part.judged.trend
    ]
    rows.sort(key=lambda row: row.period.start)  # stable: a period's parts stay in their order
    return Review(
        submission=submission,
        judged=judged,
        parts=parts,
        rows=rows,
        chart=_chart(indicator, judged),
        versions=_versions(records),
        since_returned=_since_returned(submission, records),
    )


def _chart(indicator, judged: IndicatorStatus) -> dict | None:
    """The whole indicator's figures up to this one (a split indicator's parts are in the table only)."""
    main = judged.main
    if main.breakdown is not None:
        return None
    figures = [
        charts.Figure(label=p.period.label, start=p.period.start, end=p.period.end, value=p.value, target=p.target)
        for p in main.trend
        if p.value is not None
    ]
    if len(figures) < 2:
        return None
    return charts.chart_for_page(
        figures,
        indicator=indicator,
        chart_id=f"chart-{indicator.slug}",
        title=f"{indicator.code or indicator.title}: this figure and the published figures before it",
        submitted=True,
    )


def _who(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.username) if user else "the system"


def _versions(records) -> list[Version]:
    """Each save that changed the commentary or the remedial action, oldest first."""
    versions: list[Version] = []
    for record in records:
        texts = (record.commentary, record.remedial_action)
        if versions and (versions[-1].commentary, versions[-1].remedial_action) == texts:
            continue
        if not any(texts) and not versions:
            continue
        versions.append(Version(record.history_date, _who(record), record.get_status_display(), *texts))
    return versions


def _since_returned(submission: Return, records) -> SinceReturned | None:
    """The return as it stood when last sent back, compared with it now (texts and figures)."""
    returned = next((r for r in reversed(records) if r.status == ReturnStatus.RETURNED), None)
    if returned is None:
        return None
    since = SinceReturned(when=returned.history_date, who=_who(returned), reason=returned.return_reason)
    unit = submission.indicator.unit
    then: dict[int, object] = {}
    for record in Value.history.filter(submission_id=submission.pk, history_date__lte=returned.history_date).order_by(
        "history_date", "history_id"
    ):
        then[record.id] = None if record.history_type == "-" else record
    for value in submission.values.all():
        before = then.get(value.pk)
        name = f"Figure for {value.breakdown.name}" if value.breakdown_id else "Figure"
        numbers_then = (before.value, before.numerator, before.denominator) if before else (None, None, None)
        if numbers_then != (value.value, value.numerator, value.denominator):
            now = _figure(value.value, value.numerator, value.denominator, unit=unit)
            since.changes.append(Change(name, _figure(*numbers_then, unit=unit), now))
    for name, label in TEXTS.items():
        old, new = getattr(returned, name), getattr(submission, name)
        if old != new:
            if name == "confidence":
                old, new = returned.get_confidence_display(), submission.get_confidence_display()
            since.changes.append(Change(label, old or "(empty)", new or "(empty)"))
    return since


def _figure(value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None, *, unit: str) -> str:
    """A figure in words, with its numerator and denominator when it is a rate."""
    if value is None:
        return "(none)"
    words = format_figure(value, unit)
    if denominator:
        words += f" ({format_figure(numerator)} ÷ {format_figure(denominator)})"
    return words
