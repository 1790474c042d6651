"""A report pack: what a committee receives for a plan and a quarter, built once and drawn in every format
(HTML, PDF, XLSX, CSV) from this one source, so that the formats cannot disagree.

`build_pack(plan, quarter)` reads a fixed number of queries whatever the plan's size or the years of
figures (pinned in tests/test_reports.py). It decides nothing itself: statuses and directions come from
`indicators.performance.judge_indicators`, forecasts from `indicators.forecast`, the reward grant from
`indicators.reward`, what is published from `indicators.models.PUBLISHED`, late returns from
`returns.queries`.
"""

import datetime as dt
from contextlib import nullcontext
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from core.as_at import tables_as_at
from indicators.models import PeriodKind, ReportingPeriod, ReturnStatus
from indicators.reward import PartFigures, Reward, RewardRules, TargetReward, reward
from indicators.status import Direction, rollup
from plans.models import Action, ActionStatus, Plan, Risk
from reports.audiences import PRESETS, Audience
from reports.changes import mark_changes
from reports.contents import ActionRow, IndicatorRow, Pack
from reports.indicator_rows import QUARTERS_SHOWN, indicator_rows
from reports.notes import data_notes
from returns.models import ActionUpdate

QUARTERS_READ = 7  # what a trend needs at most: the four quarters ending at the latest figure this year


def build_pack(
    plan: Plan,
    quarter: ReportingPeriod,
    *,
    published_only: bool = True,
    audience: Audience = Audience.EVERYONE,
    as_at: dt.datetime | None = None,
    revised_since: dt.datetime | None = None,
) -> Pack:
    """The pack for `plan` at `quarter` (a quarter, with its year as `quarter.parent`): approved figures
    only, or (`published_only=False`, staff only) with the figures submitted and awaiting sign-off; its
    sections and headings as `audience` reads them (reports/audiences.py).

    Its figures, targets, statuses, commentary and risks are as they stood at `as_at`, read from the audit
    history (core/as_at.py); without it, as they are now. Figures revised since `revised_since` (else since
    the previous issued pack) are marked, and each risk's change since the last quarter given
    (reports/changes.py)."""
    with tables_as_at(as_at) if as_at else nullcontext():
        pack = _build(plan, quarter, published_only, audience, as_at or timezone.now())
    pack.as_at = as_at
    mark_changes(pack, revised_since=revised_since)
    return pack


def _build(
    plan: Plan, quarter: ReportingPeriod, published_only: bool, audience: Audience, figures_as_at: dt.datetime
) -> Pack:
    quarters = _quarters_before(quarter, QUARTERS_READ)
    preset = PRESETS[audience]
    rows, groups = indicator_rows(
        plan,
        quarter,
        quarters,
        published_only,
        by_department=preset.by_department,
        lead_partners=preset.lead_partners,
    )
    directions = dict.fromkeys(Direction, 0)
    for row in rows:
        directions[row.direction] += 1
    assessed, reward_rows = _reward(rows)
    return Pack(
        plan=plan,
        quarter=quarter,
        year=quarter.parent,
        figures_as_at=figures_as_at,
        published_only=published_only,
        quarters=quarters[-QUARTERS_SHOWN:],
        groups=groups,
        rows=rows,
        actions=_action_rows(plan, quarter),
        risks=list(Risk.objects.filter(plan=plan).select_related("outcome").order_by("order")),
        notes=data_notes(
            [row.indicator for row in rows], quarter, published_only=published_only,
            today=timezone.localdate(figures_as_at),
        ),
        total=rollup([row.rag for row in rows]),
        directions=directions,
        demonstration=any(row.demonstration for row in rows),
        reward=assessed,
        reward_rows=reward_rows,
        audience=audience,
    )


def reward_rules() -> RewardRules:
    """The reward grant's pot, threshold and cap, as configured (settings.LUTON_REWARD_*)."""
    return RewardRules(
        pot=settings.LUTON_REWARD_POT,
        threshold=Decimal(settings.LUTON_REWARD_THRESHOLD_PERCENT) / 100,
        cap=Decimal(settings.LUTON_REWARD_CAP_PERCENT) / 100,
    )


def _reward(rows: list[IndicatorRow]) -> tuple[Reward | None, list[tuple[IndicatorRow, TargetReward]]]:
    """The Performance Reward Grant on the plan's designated targets for the year (the LAA's), each part
    assessed on its figure for the year so far and on its forecast; None for a plan that designates none."""
    designated = [row for row in rows if any(part.designated for part in row.parts)]
    if not designated:
        return None, []
    assessed = reward(
        [
            (
                row.indicator.code or row.indicator.slug,
                [
                    PartFigures(
                        part.name,
                        part.baseline_value,
                        part.designated_target,
                        latest=part.latest_for_year,
                        forecast=part.forecast.value,
                    )
                    for part in row.parts
                    if part.designated
                ],
            )
            for row in designated
        ],
        rules=reward_rules(),
    )
    return assessed, list(zip(designated, assessed.targets, strict=True))


def _quarters_before(quarter: ReportingPeriod, count: int) -> list[ReportingPeriod]:
    return list(
        reversed(
            ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, start__lte=quarter.start)
            .select_related("parent")
            .order_by("-start")[:count]
        )
    )


def _action_rows(plan: Plan, quarter: ReportingPeriod) -> list[ActionRow]:
    """The plan's actions with their progress at the quarter: the signed-off update for the quarter where
    there is one, else the action's own status (two queries)."""
    actions = list(
        Action.objects.filter(plan=plan).select_related("priority", "outcome", "org_unit").order_by("order")
    )
    updates = {
        update.action_id: update
        for update in ActionUpdate.objects.filter(
            action__plan=plan, period=quarter, status=ReturnStatus.APPROVED
        ).only("action_id", "progress", "percent_complete", "commentary", "revised_date")
    }
    labels = dict(ActionStatus.choices)
    rows = []
    for action in actions:
        update = updates.get(action.pk)
        status = update.progress if update else action.status
        rows.append(
            ActionRow(
                action=action,
                status=status,
                status_label=labels[status],
                percent_complete=update.percent_complete if update else None,
                commentary=update.commentary if update else "",
                revised_date=update.revised_date if update else None,
                updated=update is not None,
            )
        )
    return rows


