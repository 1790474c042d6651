"""A report pack's data notes: what a reader should know about the quarter's returns behind its figures.

Returns handed in after the round's deadline or still outstanding after it (the one rule of lateness,
`ReportingRound.is_late` and `returns.queries.late_indicator_ids`), returns sent back to the officer for
correction, and figures the officer flagged as low confidence. Figures revised since the previous issued
pack are noted too (reports/changes.py).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from indicators.models import Confidence, Indicator, ReportingPeriod, Return, ReturnStatus
from returns import queries
from returns.models import ReportingRound


class NoteKind:
    LATE = "Handed in late"
    OUTSTANDING = "Not handed in"
    RETURNED = "Returned for correction"
    LOW_CONFIDENCE = "Low confidence"
    REVISED = "Revised"


@dataclass(frozen=True)
class DataNote:
    indicator: Indicator
    period_label: str
    kind: str
    detail: str


def data_notes(
    indicators: list[Indicator], quarter: ReportingPeriod, *, published_only: bool, today: dt.date
) -> list[DataNote]:
    """The notes on the returns collected in `quarter`'s round for `indicators` (five queries at most), with
    returns outstanding as they were on `today` (the day the pack's figures are as at).

    A published pack says a return was sent back, not why: the reason is the performance team's note to
    the officer. A staff pack gives it."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    if not by_id:
        return []
    round_ = ReportingRound.objects.filter(period=quarter).select_related("period__parent").first()
    notes = []
    shown = [ReturnStatus.APPROVED] if published_only else [ReturnStatus.APPROVED, ReturnStatus.SUBMITTED]
    for indicator_id, label, status, submitted_at, confidence, reason in (
        Return.objects.filter(indicator_id__in=by_id, period__in=ReportingPeriod.objects.collected_in(quarter))
        .order_by("period__start", "indicator__slug")
        .values_list("indicator_id", "period__label", "status", "submitted_at", "confidence", "return_reason")
    ):
        indicator = by_id[indicator_id]
        if status == ReturnStatus.RETURNED:
            detail = "Sent back to the officer; no figure is shown until it is corrected and approved."
            if not published_only and reason:
                detail += f" Reason: {reason}"
            notes.append(DataNote(indicator, label, NoteKind.RETURNED, detail))
            continue
        if status not in shown:
            continue
        if round_ is not None and submitted_at is not None:
            handed_in = timezone.localdate(submitted_at)
            if round_.is_late(handed_in):
                notes.append(
                    DataNote(
                        indicator,
                        label,
                        NoteKind.LATE,
                        f"Handed in on {_day(handed_in)}, after the deadline of {_day(round_.deadline)}.",
                    )
                )
        if confidence == Confidence.LOW:
            notes.append(
                DataNote(indicator, label, NoteKind.LOW_CONFIDENCE, "The officer flagged known data-quality issues.")
            )
    if round_ is not None:
        late = queries.late_indicator_ids(round_, today) & set(by_id)
        for indicator_id in sorted(late, key=lambda pk: by_id[pk].slug):
            notes.append(
                DataNote(
                    by_id[indicator_id],
                    quarter.label,
                    NoteKind.OUTSTANDING,
                    f"Still outstanding after the deadline of {_day(round_.deadline)}.",
                )
            )
    return notes


def _day(day) -> str:
    return date_format(day, "j F Y")
