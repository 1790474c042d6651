"""Bulk entry: download my returns as a spreadsheet, fill it in, upload it.

The upload fills drafts exactly as the entry form would: the same rules (returns/rules.py), the
same write (actions.do_save_return), all or nothing, with every problem reported by row and column.
The file is read in memory, checked for size and shape first, and never stored.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.db import transaction

from core.audit import Channel
from core.importing import (
    FORMATS,
    MAX_IMPORT_BYTES,
    ImportFileError,
    RowProblem,
    escape_formula,
    unescape_formula,
)
from core.numbers import parse_number, plain
from indicators.codes import InvalidCode, normalise_code
from indicators.models import Confidence
from returns import actions, queries
from returns.models import ReportingRound, RoundState

COLUMNS = [
    "indicator",
    "title",
    "period",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "target",
    "previous",
    "commentary",
    "remedial_action",
    "data_source",
    "evidence",
    "confidence",
    "confirm_change",
    "status",
    "version",  # the version downloaded: an upload over a return changed since is refused
]
INFORMATION_ONLY = {"title", "target", "previous", "status"}
NUMBER_COLUMNS = ("value", "numerator", "denominator")
YES = ("yes", "y", "true")
RETURN_FIELDS = ["commentary", "remedial_action", "data_source", "evidence", "confidence", "confirm_change"]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value) -> str:
    return "" if value is None else escape_formula(str(value))


def my_returns_file(user, round_: ReportingRound, file_format: str) -> tuple[bytes, str]:
    """The user's returns owed in the round, one row per figure, with what is already entered."""
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in queries.return_rows(queries.indicators_for(user), [round_]):
        context = actions.load_context(row.indicator, row.period)
        values = context.values_by_key()
        submission = context.submission
        for key, _label, breakdown in context.part_keys():
            value = values.get(key)
            target = context.targets.get(breakdown.pk if breakdown else None)
            dataset.append(
                [
                    _cell(row.indicator.code or row.indicator.slug),
                    _cell(row.indicator.title),
                    _cell(row.period.label),
                    _cell(breakdown.name if breakdown else ""),
                    _cell(plain(value.value) if value else ""),
                    _cell(plain(value.numerator) if value else ""),
                    _cell(plain(value.denominator) if value else ""),
                    _cell(target.text if target else ""),
                    _cell(plain(context.previous.get(breakdown.pk if breakdown else None))),
                    _cell(submission.commentary if submission else ""),
                    _cell(submission.remedial_action if submission else ""),
                    _cell(submission.data_source if submission else ""),
                    _cell(submission.evidence if submission else ""),
                    _cell(submission.confidence if submission else ""),
                    "yes" if submission and submission.change_confirmed else "no",
                    _cell(submission.get_status_display() if submission else "Not started"),
                    submission.version if submission else 0,
                ]
            )
    data = FORMATS[file_format]().export_data(dataset)
    return (data if isinstance(data, bytes) else data.encode("utf-8")), CONTENT_TYPES[file_format]


@dataclass
class UploadReport:
    saved: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return f"Nothing was saved: {len(self.problems)} problem(s)."
        return f"{self.saved} return(s) saved as drafts from your spreadsheet."


@dataclass
class _Group:
    indicator: object
    period: object
    context: actions.ReturnContext
    first_line: int
    version: int | None = None  # the version the file was downloaded at
    lines: dict[str, int] = field(default_factory=dict)  # part key -> file row
    numbers: dict[str, dict] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # the first non-empty cell of each return field
    field_lines: dict[str, int] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)  # return-field columns the file has


def _entered(row: dict) -> bool:
    """Whether someone filled anything in on this row (an untouched downloaded row is skipped)."""
    filled = [c for c in (*NUMBER_COLUMNS, *RETURN_FIELDS) if c != "confirm_change" and row.get(c)]
    return bool(filled) or row.get("confirm_change", "").lower() in YES


def _number(raw: str, line: int, column: str, problems: list[RowProblem]) -> Decimal | None:
    if not raw.strip():
        return None
    try:
        return parse_number(raw)
    except ValueError as error:
        problems.append(RowProblem(line, column, str(error)))
        return None


def upload_returns(user, round_: ReportingRound, uploaded) -> UploadReport:
    report = UploadReport()
    if round_.state != RoundState.OPEN:
        report.problems.append(RowProblem(None, None, f"{round_.period.label} is not open for returns."))
        return report
    name = (uploaded.name or "").lower()
    file_format = name.rsplit(".", 1)[-1] if "." in name else ""
    if file_format not in FORMATS:
        report.problems.append(RowProblem(None, None, "Upload a .csv or .xlsx file."))
        return report
    if uploaded.size > MAX_IMPORT_BYTES:
        report.problems.append(
            RowProblem(None, None, f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
        )
        return report
    try:
        dataset = FORMATS[file_format]().create_dataset(uploaded.read())
    except ImportFileError as error:
        report.problems.append(RowProblem(None, None, str(error)))
        return report
    headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
    unknown = [h for h in headers if h not in COLUMNS]
    missing = [c for c in ("indicator", "period", "breakdown", "value") if c not in headers]
    if unknown or missing:
        if unknown:
            report.problems.append(RowProblem(1, None, f"unknown column(s) {', '.join(map(repr, unknown))}"))
        if missing:
            report.problems.append(RowProblem(1, None, f"missing column(s) {', '.join(map(repr, missing))}"))
        return report
    editable = {i.pk: i for i in queries.indicators_for(user)}
    by_code = {i.code: i for i in editable.values() if i.code}
    by_slug = {i.slug: i for i in editable.values()}
    groups: OrderedDict[tuple[int, int], _Group] = OrderedDict()
    problems = report.problems
    for index, raw_row in enumerate(dataset.dict):
        line = index + 2
        row = {k.strip(): unescape_formula(str(v).strip()) if v is not None else "" for k, v in raw_row.items() if k}
        if not _entered(row):
            continue
        code = row.get("indicator", "")
        try:
            indicator = by_code.get(normalise_code(code)) if code else None
        except InvalidCode:
            indicator = by_slug.get(code)
        if indicator is None:
            problems.append(RowProblem(line, "indicator", f"{code!r} is not one of your indicators"))
            continue
        period = actions.period_owed(indicator, round_.period)
        if period is None or row.get("period") != period.label:
            expected = period.label if period else "none this round"
            problems.append(RowProblem(line, "period", f"{row.get('period')!r} is not the period due ({expected})"))
            continue
        group = groups.get((indicator.pk, period.pk))
        if group is None:
            group = groups[(indicator.pk, period.pk)] = _Group(
                indicator=indicator,
                period=period,
                context=actions.load_context(indicator, period),
                first_line=line,
            )
        if "version" in row:
            try:
                version = int(row["version"] or 0)
            except ValueError:
                problems.append(RowProblem(line, "version", "leave the version as downloaded (a whole number)"))
                continue
            if group.version is not None and version != group.version:
                problems.append(RowProblem(line, "version", f"differs from row {group.first_line} of the same return"))
            group.version = version
        # Breakdowns match whatever their case: "Male" is "male".
        parts = {(b.name if b else "").casefold(): key for key, _label, b in group.context.part_keys()}
        part_key = parts.get(row.get("breakdown", "").casefold())
        if part_key is None:
            choices = ", ".join(repr(p) for p in parts if p) or "none (leave it empty)"
            problems.append(
                RowProblem(
                    line,
                    "breakdown",
                    f"{row.get('breakdown')!r} is not a breakdown of {indicator.code}: {choices}",
                )
            )
            continue
        if part_key in group.numbers:
            problems.append(
                RowProblem(line, "breakdown", f"{indicator.code} {row.get('breakdown') or ''} appears twice")
            )
            continue
        group.lines[part_key] = line
        group.numbers[part_key] = {
            column: _number(row.get(column, ""), line, column, problems) for column in NUMBER_COLUMNS if column in row
        }
        for name in RETURN_FIELDS:
            cell = row.get(name, "")
            if name not in row or not cell:
                continue
            if name not in group.fields:
                group.fields[name], group.field_lines[name] = cell, line
            elif cell != group.fields[name]:
                problems.append(
                    RowProblem(line, name, f"differs from row {group.field_lines[name]} of the same return")
                )
        group.present.update(name for name in RETURN_FIELDS if name in row)
    for group in groups.values():
        confidence = group.fields.get("confidence", "").lower()
        if confidence and confidence not in Confidence.values:
            problems.append(RowProblem(group.first_line, "confidence", f"use one of {', '.join(Confidence.values)}"))
        confirm = group.fields.get("confirm_change", "").lower()
        if confirm not in ("", "yes", "no", "y", "n", "true", "false"):
            problems.append(RowProblem(group.first_line, "confirm_change", "write yes or no"))
        entered = _input(group)
        if group.context.submission and group.context.submission.status not in actions.EDITABLE:
            problems.append(
                RowProblem(
                    group.first_line,
                    "indicator",
                    f"{group.indicator.code} is {group.context.submission.get_status_display().lower()} "
                    "and can no longer be edited",
                )
            )
            continue
        _entry, rule_problems = actions.judge(group.context, entered, submitting=False)
        for problem in rule_problems:
            column, line = _locate(problem.field, group)
            problems.append(RowProblem(line, column, problem.message))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        return report
    try:
        with transaction.atomic():
            for group in groups.values():
                if not _changes(group):
                    continue
                current = group.context.submission.version if group.context.submission else 0
                actions.do_save_return(
                    indicator=group.indicator,
                    period=group.period,
                    entered=_input(group),
                    by=user,
                    # The version the file was downloaded at: a return changed since is refused, not overwritten.
                    expected_version=group.version if group.version is not None else current,
                    submit=False,
                    channel=Channel.IMPORT,
                )
                report.saved += 1
    except actions.WorkflowError as error:
        report.saved = 0
        problems.append(RowProblem(None, None, str(error)))
    return report


def _input(group: _Group) -> actions.ReturnInput:
    """What the return becomes: the saved return, with what the file gives laid over it. Columns not
    in the file and breakdowns without a row keep their saved values."""
    saved = group.context.submission
    values = group.context.values_by_key()
    numbers = {}
    for key, _label, _breakdown in group.context.part_keys():
        value = values.get(key)
        numbers[key] = {name: getattr(value, name) if value else None for name in NUMBER_COLUMNS}
        numbers[key].update(group.numbers.get(key, {}))
    fields = group.fields
    return actions.ReturnInput(
        numbers=numbers,
        commentary=fields.get("commentary", saved.commentary if saved else ""),
        remedial_action=fields.get("remedial_action", saved.remedial_action if saved else ""),
        data_source=fields.get("data_source", saved.data_source if saved else ""),
        evidence=fields.get("evidence", saved.evidence if saved else ""),
        confidence=fields.get("confidence", saved.confidence if saved else "").lower(),
        change_confirmed=(
            fields["confirm_change"].lower() in YES
            if "confirm_change" in fields
            else bool(saved and saved.change_confirmed)
        ),
    )


def _changes(group: _Group) -> bool:
    """Whether the file changes anything of the saved return (an unchanged one is not saved again)."""
    entered = _input(group)
    saved = group.context.submission
    if saved is None:
        return any(v is not None for part in entered.numbers.values() for v in part.values()) or any(
            (entered.commentary, entered.remedial_action, entered.data_source, entered.evidence, entered.confidence)
        )
    values = group.context.values_by_key()
    saved_numbers = {
        key: {name: getattr(values[key], name) if key in values else None for name in NUMBER_COLUMNS}
        for key in entered.numbers
    }
    return (
        entered.numbers,
        entered.commentary,
        entered.remedial_action,
        entered.data_source,
        entered.evidence,
        entered.confidence,
        entered.change_confirmed,
    ) != (
        saved_numbers,
        saved.commentary,
        saved.remedial_action,
        saved.data_source,
        saved.evidence,
        saved.confidence,
        saved.change_confirmed,
    )


def _locate(problem_field: str, group: _Group) -> tuple[str, int]:
    """The spreadsheet column and row a rule problem belongs to."""
    if problem_field == "change_confirmed":
        return "confirm_change", group.first_line
    if problem_field in RETURN_FIELDS:
        return problem_field, group.first_line
    for key, line in group.lines.items():
        if problem_field == key:
            return "value", line
        if problem_field.startswith(f"{key}_"):
            return problem_field[len(key) + 1 :], line
    return problem_field, group.first_line
