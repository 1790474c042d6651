"""The published figures as open data: every approved figure, judged, in one stable order.

One builder for the API's `/api/v1/figures/` and the bulk download's `figures.csv`, so that the two
always agree. Statuses and directions come from the status engine through
`indicators.performance.judge_figures` (the rules the pages use); the whole table is remembered
under the data version (docs/decisions/0003), so it is built once per change to the figures, their
targets or their indicators, not once per request.
"""

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.cache import cache

from core.numbers import plain_decimal
from core.release import code_release
from indicators.models import Indicator, Return
from indicators.performance import CACHE_SECONDS, JUDGED_FIELDS, data_version_and_changed_at, judge_figures


@dataclass(frozen=True)
class Figure:
    """One approved figure: the whole indicator's, or one breakdown's, for one period."""

    id: int
    indicator: str
    indicator_code: str | None
    indicator_title: str
    period: str
    period_kind: str
    period_start: dt.date
    period_end: dt.date
    breakdown: str | None
    value: Decimal | None
    unit: str
    target: Decimal | None
    target_text: str
    target_compared: Decimal | None
    status: str
    status_label: str
    direction: str
    direction_since_last_year: str
    commentary: str
    remedial_action: str
    is_demonstration: bool
    updated_at: dt.datetime
    # For filtering only; not published.
    indicator_id: int
    period_id: int


PRIVATE_FIELDS = ("indicator_id", "period_id")
# The published columns, in order: the API's fields and figures.csv's columns.
PUBLIC_FIELDS = tuple(f.name for f in fields(Figure) if f.name not in PRIVATE_FIELDS)


# The last table this process read, as objects: unpickling a council's table from the cache (tens of
# thousands of rows) costs more than the rest of a request.
_last: tuple[str, list["Figure"]] | None = None


def published_figures(*, version: str | None = None) -> list[Figure]:
    """Every approved figure, judged, ordered by indicator, period and breakdown.

    `version` is `data_version_and_changed_at()`'s token (read here when not given: one query). The
    table is kept in this process's memory and in the cache under it; when built, six more queries:
    indicators, the four of judging, and the returns' commentary."""
    global _last
    # The code's release too: a cache shared across a deployment must not hand new code old rows.
    key = f"published-figures:{code_release()[0]}:{version or data_version_and_changed_at()[0]}"
    if _last is not None and _last[0] == key:
        return _last[1]
    table = cache.get(key)
    if table is None:
        table = _build()
        cache.set(key, table, timeout=CACHE_SECONDS)
    _last = (key, table)
    return table


def _build() -> list[Figure]:
    published = Return.objects.published()
    indicators = list(
        Indicator.objects.filter(pk__in=published.values("indicator_id")).only(*JUDGED_FIELDS).order_by("slug")
    )
    returns = {
        (indicator_id, period_id): rest
        for indicator_id, period_id, *rest in published.filter(indicator__in=indicators)
        .order_by()
        .values_list("indicator_id", "period_id", "commentary", "remedial_action", "updated_at")
    }
    by_id = {indicator.pk: indicator for indicator in indicators}
    table = []
    for judged in judge_figures(indicators):
        indicator = by_id[judged.indicator_id]
        period = judged.point.period
        commentary, remedial_action, updated_at = returns[(indicator.pk, period.pk)]
        target = judged.target
        table.append(
            Figure(
                id=judged.value_id,
                indicator=indicator.slug,
                indicator_code=indicator.code,
                indicator_title=indicator.title,
                period=period.label,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                breakdown=judged.breakdown,
                value=plain_decimal(judged.point.value),
                unit=indicator.unit,
                target=plain_decimal(target.value) if target else None,
                target_text=target.text if target else "",
                target_compared=plain_decimal(judged.comparable_target),
                status=judged.rag.value,
                status_label=judged.rag.label,
                direction=judged.since_last.value,
                direction_since_last_year=judged.since_last_year.value,
                commentary=commentary,
                remedial_action=remedial_action,
                is_demonstration=judged.point.is_demonstration,
                updated_at=updated_at,
                indicator_id=indicator.pk,
                period_id=period.pk,
            )
        )
    # judge_figures goes part by part (the whole first, then the breakdowns in order); the open data goes
    # period by period within each indicator. The sort is stable, so each period's parts keep that order.
    table.sort(key=lambda f: (f.indicator, f.period_start, f.period_kind))
    return table
