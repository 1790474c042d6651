"""What a report pack holds, as plain data: built by reports/packs.py, drawn by every format."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.forecast import Forecast, Outlook
from indicators.models import Indicator, ReportingPeriod
from indicators.reward import PartReward, Reward, TargetReward
from indicators.status import Direction, Rag, Rollup, risk_band, risk_scale
from plans.models import Action, ActionStatus, Plan, Risk
from reports.audiences import PRESETS, SECTIONS, Audience, Preset
from reports.notes import DataNote


@dataclass(frozen=True)
class Since:
    """A moment a pack compares with (the previous issued pack, or a moment asked for), in words."""

    moment: dt.datetime
    words: str  # "the pack issued to the Executive on 15 November 2010"
    asked: bool = False  # a moment asked for (?revised_since=), not the previous issued pack


@dataclass(frozen=True)
class Revision:
    """A figure that differs from the one shown at the moment compared with."""

    period_label: str
    was: Decimal
    now: Decimal | None  # None: no figure is shown now (sent back for correction)


@dataclass(frozen=True)
class RiskChange:
    """A risk's residual score against the one in the register at the moment compared with."""

    recorded: bool  # the history holds the risk then
    before: int | None = None

    def change(self, now: int | None) -> int | None:
        return None if not self.recorded or self.before is None or now is None else now - self.before

    def words(self, now: int | None) -> str:
        if not self.recorded:
            return "No earlier record"
        change = self.change(now)
        if change is None:
            return "Not scored then" if self.before is None else "Not scored now"
        if change == 0:
            return "No change"
        return f"{'Up' if change > 0 else 'Down'} {abs(change)} (from {self.before})"


@dataclass
class Group:
    """A heading of the pack: a priority or theme, else the department a plan lists its measures under."""

    key: tuple
    title: str
    order: tuple
    indicator_ids: list[int] = field(default_factory=list)
    rollup: Rollup = field(default_factory=Rollup)


@dataclass
class Part:
    """A row of the full table: a whole indicator, or one part of a split one."""

    name: str | None
    baseline: str
    target_text: str
    target: Decimal | None
    quarters: list[Decimal | None]  # aligned with Pack.quarters
    unapproved: list[bool]  # which of those figures are not yet approved (staff packs only)
    rag: Rag
    direction: Direction
    forecast: Forecast
    outlook: Outlook
    baseline_value: Decimal | None = None
    designated: bool = False  # the pack's plan designates the year's target for reward (the LAA)
    designated_target: Decimal | None = None  # that target's number (None: in words)
    # The judged figure when it stands for the year (a snapshot's or average's latest, or a year's own
    # figure), which the reward grant is assessed on; None for a year-to-date or a quarter's own count.
    latest_for_year: Decimal | None = None
    revisions: list[Revision | None] = field(default_factory=list)  # aligned with quarters, when compared

    @property
    def cells(self) -> list[tuple[Decimal | None, bool, Revision | None]]:
        """Each of the last four quarters' figures, whether it is not yet approved, and its revision."""
        revisions = self.revisions or [None] * len(self.quarters)
        return list(zip(self.quarters, self.unapproved, revisions, strict=True))


@dataclass
class IndicatorRow:
    indicator: Indicator
    title: str  # as this plan prints it
    group: Group
    parts: list[Part]
    rag: Rag
    direction: Direction
    outlook: Outlook
    judged_period: ReportingPeriod | None
    figure_text: str
    commentary: str = ""
    remedial_action: str = ""
    commentary_approved: bool = True
    demonstration: bool = False
    lead_partner: str = ""  # named in the Luton Forum's packs

    @property
    def name(self) -> str:
        return f"{self.indicator.code}: {self.title}" if self.indicator.code else self.title

    @property
    def exception_reasons(self) -> list[str]:
        """Why the indicator is reported by exception: off track, close to target and worsening, or
        forecast to miss its year's target."""
        reasons = []
        if self.rag == Rag.RED:
            reasons.append("Off track")
        if self.rag == Rag.AMBER and self.direction == Direction.WORSENING:
            reasons.append("Close to target and worsening")
        if self.outlook.is_miss:
            reasons.append(f"Forecast: {self.outlook.label.lower()} the year's target")
        return reasons


@dataclass
class ActionRow:
    action: Action
    status: str
    status_label: str
    percent_complete: int | None  # None: no update signed off for the quarter
    commentary: str
    revised_date: dt.date | None
    updated: bool  # an update for the quarter is signed off (else the action's own status is shown)

    @property
    def is_exception(self) -> bool:
        return self.status in (ActionStatus.AT_RISK, ActionStatus.OFF_TRACK)


@dataclass
class Pack:
    plan: Plan
    quarter: ReportingPeriod
    year: ReportingPeriod
    figures_as_at: dt.datetime
    published_only: bool
    quarters: list[ReportingPeriod]
    groups: list[Group]
    rows: list[IndicatorRow]
    actions: list[ActionRow]
    risks: list[Risk]
    notes: list[DataNote]
    total: Rollup
    directions: dict[Direction, int]
    demonstration: bool
    reward: Reward | None = None  # for a plan with designated targets in the year: the LAA
    audience: Audience = Audience.EVERYONE
    reward_rows: list[tuple[IndicatorRow, TargetReward]] = field(default_factory=list)
    as_at: dt.datetime | None = None  # the moment asked for; None: as at now, read from the tables themselves
    revised_since: Since | None = None  # figures revised since then are marked (reports/changes.py)
    risk_since: Since | None = None  # each residual score is compared with the register then
    risk_changes: dict[int, RiskChange] = field(default_factory=dict)

    @property
    def title(self) -> str:
        for_whom = "" if self.audience == Audience.EVERYONE else f" for {self.preset.label}"
        return f"{self.plan.title}: performance report{for_whom}, {self.quarter.label}"

    @property
    def preset(self) -> Preset:
        return PRESETS[self.audience]

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        """The sections this audience reads, in its order: (name, the heading's id, its words). The reward
        grant only where the plan designates targets."""
        return [
            (name, *SECTIONS[name]) for name in self.preset.sections if name != "reward" or self.reward is not None
        ]

    @property
    def reward_lines(self) -> list[tuple[IndicatorRow, Part, PartReward]]:
        """Each designated part with what it earns: (its indicator's row, its part, its reward)."""
        lines = []
        for row, target in self.reward_rows:
            parts = {part.name: part for part in row.parts if part.designated}
            lines.extend((row, parts[earned.name], earned) for earned in target.parts)
        return lines

    @property
    def risk_rows(self) -> list[tuple[Risk, str, str]]:
        """Each risk, its residual band in words, and the change in its residual score since `risk_since`."""
        bands = risk_bands(self.risks)
        return [(risk, bands[risk.pk], self.risk_change_words(risk)) for risk in self.risks]

    def risk_change_words(self, risk: Risk) -> str:
        if self.risk_since is None:
            return ""
        return self.risk_changes.get(risk.pk, RiskChange(recorded=False)).words(risk.residual_score)

    @property
    def revisions(self) -> list[tuple[IndicatorRow, Part, Revision]]:
        return [(row, part, r) for row in self.rows for part in row.parts for r in part.revisions if r is not None]

    @property
    def exceptions(self) -> list[IndicatorRow]:
        return [row for row in self.rows if row.exception_reasons]

    @property
    def action_exceptions(self) -> list[ActionRow]:
        return [row for row in self.actions if row.is_exception]

    @property
    def headline_direction(self) -> str:
        """The direction of travel since the previous quarter across the plan, in one sentence."""
        better, worse = self.directions[Direction.IMPROVING], self.directions[Direction.WORSENING]
        compared = better + worse + self.directions[Direction.NO_CHANGE]
        if not compared:
            return "No indicator has figures for this quarter and the one before to compare."
        if better > worse:
            lead = "More indicators improved than worsened"
        elif worse > better:
            lead = "More indicators worsened than improved"
        else:
            lead = "As many indicators improved as worsened"
        return (
            f"{lead} since the previous quarter: {better} improving, {worse} worsening, "
            f"{self.directions[Direction.NO_CHANGE]} unchanged, of {compared} with figures to compare."
        )


def risk_bands(risks: list[Risk]) -> dict[int, str]:
    """Each risk's residual band in words, on its register's own scale (indicators.status.risk_band)."""
    scale = risk_scale([r.residual_score for r in risks if r.residual_score] or [0])
    return {risk.pk: risk_band(risk.residual_score, scale=scale).label for risk in risks}
