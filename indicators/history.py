"""An indicator's audit history for staff: every change to its targets, returns and figures."""

from dataclasses import dataclass
from datetime import datetime

from indicators.models import Indicator, Return, Target, Value

TRACKED = {
    Target: ["text", "value", "designated"],
    Return: ["status", "commentary", "data_source", "confidence", "return_reason"],
    Value: ["value", "numerator", "denominator"],
}
LIMIT = 100


@dataclass
class Change:
    when: datetime
    who: str
    channel: str
    what: str
    kind: str  # Created / Changed / Deleted
    changes: list[tuple[str, object, object]]  # field, old, new


def indicator_history(indicator: Indicator, *, include_returns: bool) -> list[Change]:
    """The latest changes (at most LIMIT of each kind), newest first, in at most four queries.

    Returns and their figures are included only for people who may see unapproved figures
    (`include_returns`): their history holds drafts and commentary before sign-off.
    """
    sources = [(Target, Target.history.filter(indicator_id=indicator.pk).select_related("period", "history_user"))]
    if include_returns:
        return_ids = list(Return.objects.filter(indicator=indicator).values_list("pk", flat=True))
        sources += [
            (Return, Return.history.filter(indicator_id=indicator.pk).select_related("period", "history_user")),
            (Value, Value.history.filter(submission_id__in=return_ids).select_related("history_user")),
        ]
    changes: list[Change] = []
    for model, records in sources:
        rows = list(records.order_by("-history_date", "-history_id")[:LIMIT])
        rows.reverse()
        previous: dict[int, object] = {}
        for record in rows:
            before = previous.get(record.id)
            fields = TRACKED[model]
            if record.history_type == "+" or before is None:
                diff = [(f, None, getattr(record, f)) for f in fields if getattr(record, f) not in (None, "")]
            else:
                diff = [
                    (f, getattr(before, f), getattr(record, f))
                    for f in fields
                    if getattr(before, f) != getattr(record, f)
                ]
            previous[record.id] = record
            if record.history_type == "~" and not diff:
                continue
            user = record.history_user
            changes.append(
                Change(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else "the system",
                    channel=record.get_channel_display(),
                    what=_describe(model, record),
                    kind={"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type],
                    changes=diff,
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


def _describe(model, record) -> str:
    if model is Target:
        return f"Target for {record.period.label}"
    if model is Return:
        return f"Return for {record.period.label}"
    return "Figure" + (f" (breakdown {record.breakdown_id})" if record.breakdown_id else "")
