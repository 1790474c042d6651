"""A report pack as tables: one per section, each column with a machine key (the CSV's header) and words for
people (the spreadsheet's), each cell text, a whole number, a date or a figure in its indicator's unit.

The CSV (the full table) and the XLSX (a sheet per section) are written from these, and these from the one
builder (reports/packs.py), so that no format can say something another does not.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core.numbers import format_figure
from reports.contents import IndicatorRow, Pack, Part


@dataclass(frozen=True)
class Figure:
    """A number in an indicator's unit (a percentage is 42.5, meaning 42.5%)."""

    value: Decimal
    unit: str = ""


Cell = str | int | Figure | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14  # characters, for the spreadsheet


@dataclass
class Section:
    name: str  # the sheet's name (at most 31 characters)
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)


def sections(pack: Pack) -> list[Section]:
    return [
        _cover(pack),
        _summary(pack),
        _exceptions(pack),
        *([_reward(pack)] if pack.reward else []),
        full_table(pack),
        _actions(pack),
        _risks(pack),
        _notes(pack),
    ]


def _figure(value: Decimal | None, unit: str) -> Figure | None:
    return None if value is None else Figure(value, unit)


def _cover(pack: Pack) -> Section:
    section = Section("Cover", pack.title, [Column("item", "Item", 24), Column("value", "Value", 90)])
    section.rows = [
        ["Plan", pack.plan.title],
        ["Quarter", pack.quarter.label],
        ["Figures as at", pack.figures_as_at],
        ["Figures", "Approved figures only" if pack.published_only else "Including figures not yet approved"],
    ]
    if pack.demonstration:
        section.rows.append(["Demonstration data", DEMONSTRATION_NOTICE])
    if pack.revised_since:
        count = len(pack.revisions)
        section.rows.append(
            ["Revised figures", f"{count} revised since {pack.revised_since.words}: see the Indicators' last column"]
        )
    return section


DEMONSTRATION_NOTICE = (
    "The figures include invented demonstration values, not real performance. The plans and targets are "
    "Luton's as published; the source documents contain targets, not actual figures."
)


def _summary(pack: Pack) -> Section:
    section = Section(
        "Summary",
        "Indicators by status",
        [
            Column("group", "Priority or department", 50),
            Column("on_track", "On track", 10),
            Column("close_to_target", "Close to target", 10),
            Column("off_track", "Off track", 10),
            Column("no_numeric_target", "No numeric target or not judged", 14),
            Column("no_data", "No data", 10),
            Column("total", "Indicators", 10),
        ],
    )
    for title, rollup in [*((g.title, g.rollup) for g in pack.groups), ("Whole plan", pack.total)]:
        section.rows.append(
            [title, rollup.green, rollup.amber, rollup.red, rollup.not_judged, rollup.no_data, rollup.total]
        )
    section.rows.append([])
    section.rows.append(["Direction of travel", pack.headline_direction])
    return section


def _exceptions(pack: Pack) -> Section:
    section = Section(
        "Exceptions",
        "Exceptions",
        [
            Column("code", "Code", 10),
            Column("indicator", "Indicator", 50),
            Column("why", "Why it is an exception", 36),
            Column("figure", "Figure", 16),
            Column("target", "Year's target (as printed)", 24),
            Column("commentary", "Commentary", 60),
            Column("remedial_action", "Remedial action", 60),
        ],
    )
    for row in pack.exceptions:
        section.rows.append(
            [
                row.indicator.code or "",
                row.title,
                "; ".join(row.exception_reasons),
                row.figure_text,
                "; ".join(dict.fromkeys(p.target_text for p in row.parts if p.target_text)),
                row.commentary,
                row.remedial_action,
            ]
        )
    for action_row in pack.action_exceptions:
        section.rows.append(
            ["Action", action_row.action.text, action_row.status_label, "", "", action_row.commentary, ""]
        )
    return section


def full_table(pack: Pack) -> Section:
    """Every indicator (every part of a split one) with its baseline, the year's target, the last four
    quarters, status, direction, forecast and commentary: the pack's CSV."""
    year = pack.year.label
    lead = pack.preset.lead_partners
    columns = [
        Column("group", "Priority or department", 30),
        Column("code", "Code", 10),
        Column("indicator", "Indicator", 50),
        Column("part", "Part", 14),
        *([Column("lead_partner", "Lead partner", 24)] if lead else []),
        Column("unit", "Unit", 12),
        Column("baseline", "Baseline (as printed)", 20),
        Column("target_as_printed", f"{year} target (as printed)", 24),
        Column("target", f"{year} target", 12),
        Column("designated", "Designated (reward) target", 12),
        *(Column(q.slug, q.label, 11) for q in pack.quarters),
        Column("status", "Status", 16),
        Column("direction", "Direction", 14),
        Column("forecast", f"Forecast for {year}", 12),
        Column("forecast_method", "Forecast method", 22),
        Column("forecast_basis", "Forecast from", 30),
        Column("outlook", "Outlook", 16),
        Column("commentary", "Commentary", 60),
        Column("remedial_action", "Remedial action", 60),
        Column("approved", "Approved", 10),
        Column("demonstration", "Demonstration data", 12),
        Column("revised", f"Revised since {pack.revised_since.words}" if pack.revised_since else "Revised", 30),
    ]
    section = Section("Indicators", "All indicators", columns)
    for row in pack.rows:
        for part in row.parts:
            section.rows.append(_part_cells(row, part, lead=lead))
    return section


def _part_cells(row: IndicatorRow, part: Part, *, lead: bool) -> list[Cell]:
    unit = row.indicator.unit
    return [
        row.group.title,
        row.indicator.code or "",
        row.title,
        part.name or "",
        *([row.lead_partner] if lead else []),
        unit,
        part.baseline,
        part.target_text,
        _figure(part.target, unit),
        "yes" if part.designated else "no",
        *(_figure(value, unit) for value in part.quarters),
        part.rag.label,
        _DIRECTIONS[part.direction.value],
        _figure(part.forecast.value, unit),
        part.forecast.method.label,
        part.forecast.basis,
        part.outlook.label,
        row.commentary,
        row.remedial_action,
        _approved(part),
        "yes" if row.demonstration else "no",
        revised_text(part, row.indicator.unit),
    ]


def revised_text(part: Part, unit: str) -> str:
    """The part's revised figures in words, beside its figures: "2010/11 Q2: was 660, now 650"."""
    return "; ".join(
        f"{r.period_label}: was {format_figure(r.was, unit)}, "
        + ("no figure now" if r.now is None else f"now {format_figure(r.now, unit)}")
        for r in part.revisions
        if r is not None
    )


def _approved(part: Part) -> str:
    """Whether the row's figures are all approved: "" when it has none."""
    if any(part.unapproved):
        return "no"
    return "yes" if any(value is not None for value in part.quarters) else ""


_DIRECTIONS = {
    "improving": "Improving",
    "worsening": "Worsening",
    "no_change": "No change",
    "not_comparable": "Not comparable",
}


def _reward(pack: Pack) -> Section:
    """The reward grant per designated target's part: in pounds (to the penny) when the pot is set, else as
    percentages of the pot."""
    rules = pack.reward.rules
    pounds = rules.pot is not None
    money = "£" if pounds else "% of the pot"

    def amount(share: Decimal | None) -> Figure | None:
        if share is None:
            return None
        if pounds:
            return Figure(rules.amount(share), "currency")
        return Figure((share * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "percentage")

    def percent(proportion: Decimal | None) -> Figure | None:
        if proportion is None:
            return None
        return Figure((proportion * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "percentage")

    section = Section(
        "Reward grant",
        f"Performance Reward Grant on the {pack.year.label} designated targets",
        [
            Column("code", "Code", 10),
            Column("indicator", "Indicator", 50),
            Column("part", "Part", 14),
            Column("baseline", "Baseline (as printed)", 20),
            Column("target_as_printed", f"{pack.year.label} target (as printed)", 24),
            Column("stake", f"At stake ({money})", 14),
            Column("latest", "Latest figure", 12),
            Column("achieved_latest", "Improvement achieved", 12),
            Column("earned_latest", f"Earned on the latest figure ({money})", 16),
            Column("forecast", "Forecast", 12),
            Column("achieved_forecast", "Improvement achieved on the forecast", 14),
            Column("earned_forecast", f"Earned on the forecast ({money})", 16),
            Column("note", "Note", 40),
        ],
    )
    for row, part, earned in pack.reward_lines:
        unit = row.indicator.unit
        section.rows.append(
            [
                row.indicator.code or "",
                row.title,
                part.name or "",
                part.baseline,
                part.target_text,
                amount(earned.stake),
                _figure(part.latest_for_year, unit),
                percent(earned.achieved_latest),
                amount(earned.earned_latest),
                _figure(part.forecast.value, unit),
                percent(earned.achieved_forecast),
                amount(earned.earned_forecast),
                earned.reason,
            ]
        )
    section.rows.append(
        ["", "All designated targets", "", "", "", amount(pack.reward.stake), None, None,
         amount(pack.reward.earned_latest), None, None, amount(pack.reward.earned_forecast), ""]
    )
    return section


def _actions(pack: Pack) -> Section:
    section = Section(
        "Actions",
        "Actions",
        [
            Column("action", "Action", 70),
            Column("under", "Priority or outcome", 36),
            Column("owner", "Owner", 24),
            Column("status", "Status", 14),
            Column("percent_complete", "% complete", 11),
            Column("revised_date", "Revised completion date", 14),
            Column("commentary", "Commentary", 60),
        ],
    )
    for row in pack.actions:
        under = row.action.outcome or row.action.priority or row.action.org_unit
        section.rows.append(
            [
                row.action.text,
                str(under) if under else "",
                row.action.owner,
                row.status_label,
                _figure(Decimal(row.percent_complete), "percentage") if row.percent_complete is not None else None,
                row.revised_date,
                row.commentary,
            ]
        )
    return section


def _risks(pack: Pack) -> Section:
    since = f"Residual change since {pack.risk_since.words}" if pack.risk_since else "Residual change"
    section = Section(
        "Risks",
        "Risks",
        [
            Column("reference", "Reference", 10),
            Column("risk", "Risk", 60),
            Column("owner", "Owner", 24),
            Column("initial_score", "Initial score", 10),
            Column("residual_score", "Residual score", 10),
            Column("residual_band", "Residual level", 12),
            Column("residual_change", since, 12),
            Column("residual_change_words", f"{since} (in words)", 24),
            Column("controls", "Controls", 60),
        ],
    )
    for risk, band, change_words in pack.risk_rows:
        change = pack.risk_changes.get(risk.pk)
        section.rows.append(
            [
                risk.reference or (str(risk.number) if risk.number else ""),
                risk.title,
                risk.owner,
                risk.initial_score,
                risk.residual_score,
                band,
                change.change(risk.residual_score) if change else None,
                change_words,
                risk.controls,
            ]
        )
    return section


def _notes(pack: Pack) -> Section:
    section = Section(
        "Data notes",
        "Data notes",
        [
            Column("code", "Code", 10),
            Column("indicator", "Indicator", 50),
            Column("period", "Period", 12),
            Column("note", "Note", 22),
            Column("detail", "Detail", 70),
        ],
    )
    for note in pack.notes:
        section.rows.append(
            [note.indicator.code or "", note.indicator.title, note.period_label, note.kind, note.detail]
        )
    return section


def figure_text(cell: Figure) -> str:
    return format_figure(cell.value, cell.unit)
