"""What changed since: the figures revised since the previous issued pack, and each risk's residual score
against the register of the last quarter. Both are read from the audit history as it stood then
(core/as_at.py), by the same queries as the pack's own figures and risks.

- Figures: compared with the latest pack issued for the same plan and quarter before this pack's moment
  (any audience), or with a moment asked for (`?revised_since=`). A figure shown then and different now is
  revised; one shown for the first time is not. Each is marked beside the figure and in the data notes.
- Risks: compared with the register when the previous quarter's pack was issued, else as it stood at the
  end of the previous quarter (the start of the pack's).

Three queries at most whatever the plan's size: the issued packs, the figures then, the register then.
"""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

from core.as_at import describe, tables_as_at
from core.numbers import format_figure
from plans.models import Risk
from reports.contents import Pack, Revision, RiskChange, Since
from reports.indicator_rows import read_figures
from reports.models import IssuedPack
from reports.notes import DataNote, NoteKind


def mark_changes(pack: Pack, *, revised_since: dt.datetime | None = None) -> None:
    """Mark `pack`'s revised figures (since `revised_since`, else the previous issued pack of its plan and
    quarter) and give each risk its change since the last quarter."""
    previous = pack.quarters[-2] if len(pack.quarters) > 1 else None
    issued = _issued_before(pack, [pack.quarter, *([previous] if previous else [])])
    if revised_since is not None:
        since = Since(revised_since, describe(revised_since), asked=True)
    elif pack.quarter.pk in issued:
        since = _since_issued(issued[pack.quarter.pk])
    else:
        since = None
    if since is not None:
        _mark_revisions(pack, since)
    if previous is not None and previous.pk in issued:
        pack.risk_since = _since_issued(issued[previous.pk])
    else:
        start = timezone.make_aware(dt.datetime.combine(pack.quarter.start, dt.time.min))
        last_day = date_format(pack.quarter.start - dt.timedelta(days=1), "j F Y")
        pack.risk_since = Since(start, f"the end of {previous.label if previous else 'the last quarter'} ({last_day})")
    if pack.risk_since.moment <= pack.figures_as_at:
        with tables_as_at(pack.risk_since.moment):
            then = dict(Risk.objects.filter(plan=pack.plan).values_list("pk", "residual_score"))
        pack.risk_changes = {pk: RiskChange(recorded=True, before=score) for pk, score in then.items()}
    else:
        pack.risk_since = None  # the pack is as at a moment before the quarter it compares with


def _issued_before(pack: Pack, quarters: list) -> dict[int, IssuedPack]:
    """The latest pack issued for the plan at each of `quarters` before the pack's moment (one query)."""
    latest: dict[int, IssuedPack] = {}
    for issued in IssuedPack.objects.filter(
        plan=pack.plan, period__in=quarters, issued_at__lt=pack.figures_as_at
    ).order_by("issued_at"):
        latest[issued.period_id] = issued
    return latest


def _since_issued(issued: IssuedPack) -> Since:
    return Since(
        issued.issued_at,
        f"the pack issued to {issued.meeting} on {date_format(issued.meeting_date, 'j F Y')} "
        f"(figures as at {describe(issued.issued_at)})",
    )


def _mark_revisions(pack: Pack, since: Since) -> None:
    """Compare the pack's figures with those shown at `since` (one query, read as at then)."""
    pack.revised_since = since
    if since.moment >= pack.figures_as_at:
        return
    with tables_as_at(since.moment):
        then = read_figures([row.indicator.pk for row in pack.rows], pack.quarters, pack.published_only)
    for row in pack.rows:
        for part in row.parts:
            shown = then.get((row.indicator.pk, part.name), {})
            part.revisions = [
                Revision(quarter.label, shown[quarter.pk][0], now)
                if quarter.pk in shown and shown[quarter.pk][0] != now
                else None
                for quarter, now in zip(pack.quarters, part.quarters, strict=True)
            ]
            unit = row.indicator.unit
            for revision in part.revisions:
                if revision is None:
                    continue
                now = "no figure is shown now" if revision.now is None else f"now {format_figure(revision.now, unit)}"
                of_part = f"{part.name}: " if part.name else ""
                pack.notes.append(
                    DataNote(
                        row.indicator,
                        revision.period_label,
                        NoteKind.REVISED,
                        f"{of_part}was {format_figure(revision.was, unit)}, {now}; revised since {since.words}.",
                    )
                )
