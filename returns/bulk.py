"""Bulk entry: download my returns as a spreadsheet, fill it in, upload it.

The upload is read by the one reader (core/tables.py) and saved by the one write path
(actions.do_save_returns): the entry form's rules, all or nothing, every problem reported by row and
column, in a constant number of queries however many rows. It saves drafts, or submits every return
it touches. Rows of returns that can no longer be edited (submitted or approved) are skipped with a
note when they are unchanged, so the file downloaded can be uploaded again as it is. The file is read
in memory, checked for size and shape first, and never stored.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

import tablib

from core.audit import Channel
from core.importing import FORMATS
from core.numbers import parse_number, plain
from core.tables import ImportFileError, RowProblem, escape_formula, read_table
from indicators.codes import InvalidCode, normalise_code
from indicators.models import Confidence, Indicator, ReportingPeriod
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
REQUIRED = ["indicator", "period", "breakdown", "value"]
INFORMATION_ONLY = {"title", "target", "previous", "status"}
NUMBER_COLUMNS = ("value", "numerator", "denominator")
YES = ("yes", "y", "true")
NO = ("no", "n", "false")
RETURN_FIELDS = ["commentary", "remedial_action", "data_source", "evidence", "confidence", "confirm_change"]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value) -> str:
    return "" if value is None else escape_formula(str(value))


def my_returns_file(user, round_: ReportingRound, file_format: str) -> tuple[bytes, str]:
    """The user's returns owed in the round, one row per figure, with what is already entered.
    A constant number of queries, however many returns."""
    dataset = tablib.Dataset(headers=COLUMNS)
    rows = queries.return_rows(queries.indicators_for(user), [round_])
    contexts = actions.load_contexts([(row.indicator, row.period) for row in rows])
    for row in rows:
        context = contexts[(row.indicator.pk, row.period.pk)]
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
    submit: bool = False
    saved: int = 0
    notes: list[str] = field(default_factory=list)  # what was skipped, and why
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return f"Nothing was saved: {len(self.problems)} problem(s)."
        done = "submitted for sign-off" if self.submit else "saved as drafts"
        return f"{self.saved} return(s) {done} from your spreadsheet."


@dataclass
class _Group:
    """The rows of one return in the file."""

    indicator: Indicator
    period: ReportingPeriod
    first_line: int
    context: actions.ReturnContext | None = None
    version: int | None = None  # the version the file was downloaded at
    lines: dict[str, int] = field(default_factory=dict)  # part key -> file row
    numbers: dict[str, dict] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # the first non-empty cell of each return field
    field_lines: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[int, dict]] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _entered(row: dict) -> bool:
    """Whether anything is filled in on this row (an untouched downloaded row is skipped)."""
    for column in (*NUMBER_COLUMNS, *RETURN_FIELDS):
        if column != "confirm_change" and column in row and _text(row[column]):
            return True
    return _text(row.get("confirm_change")).lower() in YES


def upload_returns(user, round_: ReportingRound, uploaded, *, submit: bool = False) -> UploadReport:
    """Save (or submit) the returns a completed spreadsheet gives, all or nothing."""
    report = UploadReport(submit=submit)
    problems = report.problems
    if round_.state != RoundState.OPEN:
        problems.append(RowProblem(None, None, f"{round_.period.label} is not open for returns."))
        return report
    name = (uploaded.name or "").lower()
    file_format = name.rsplit(".", 1)[-1] if "." in name else ""
    if file_format not in FORMATS:
        problems.append(RowProblem(None, None, "Upload a .csv or .xlsx file."))
        return report
    try:
        table = read_table(uploaded.read(), file_format, columns=COLUMNS, required=REQUIRED)
    except ImportFileError as error:
        problems.append(RowProblem(None, None, str(error)))
        return report
    problems.extend(table.problems)
    if problems:
        return report

    groups = _group(user, round_, table, problems)
    contexts = actions.load_contexts([(g.indicator, g.period) for g in groups.values()])
    entries: list[tuple[_Group, actions.Entry]] = []
    for group in groups.values():
        group.context = contexts[(group.indicator.pk, group.period.pk)]
        _read_rows(group, problems)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        return report
    for group in groups.values():
        entered = _input(group)
        if not _changes(group, entered):
            continue
        saved = group.context.submission
        if saved is not None and saved.status not in actions.EDITABLE:
            status = saved.get_status_display().lower()
            refusal = f"{group.indicator.code} is {status} and can no longer be edited"
            problems.append(RowProblem(group.first_line, "indicator", refusal))
            continue
        _entry, rule_problems = actions.judge(group.context, entered, submitting=submit)
        for problem in rule_problems:
            column, line = _locate(problem.field, group)
            problems.append(RowProblem(line, column, problem.message))
        current = saved.version if saved else 0
        # The version the file was downloaded at: a return changed since is refused, not overwritten.
        version = group.version if group.version is not None else current
        entries.append((group, actions.Entry(group.indicator, group.period, entered, version)))
    _note_skipped(groups, {id(g) for g, _ in entries}, report)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        return report
    try:
        actions.do_save_returns(
            [entry for _, entry in entries], by=user, submit=submit, channel=Channel.IMPORT, contexts=contexts
        )
    except actions.EntriesRefused as refused:
        for index, error in refused.errors.items():
            group = entries[index][0] if index < len(entries) else None
            for problem in getattr(error, "problems", None) or [None]:
                if problem is not None and group is not None:
                    column, line = _locate(problem.field, group)
                    problems.append(RowProblem(line, column, problem.message))
                else:
                    problems.append(RowProblem(group.first_line if group else None, None, str(error)))
        problems.sort(key=lambda p: (p.line or 0, p.column or ""))
        return report
    report.saved = len(entries)
    return report


def _group(user, round_: ReportingRound, table, problems: list[RowProblem]) -> "OrderedDict[tuple, _Group]":
    """The file's rows by the return they belong to, refusing rows for indicators the user does not enter
    or for a period other than the one owed. A constant number of queries."""
    editable = queries.indicators_for(user)
    by_code = {i.code: i for i in editable if i.code}
    by_slug = {i.slug: i for i in editable}
    academic = ReportingPeriod.objects.academic_by_reporting_year()
    groups: OrderedDict[tuple, _Group] = OrderedDict()
    for row in table.rows:
        cells = row.cells
        if not _entered(cells):
            continue
        code = _text(cells.get("indicator"))
        try:
            indicator = by_code.get(normalise_code(code)) if code else None
        except InvalidCode:
            indicator = None
        indicator = indicator or by_slug.get(code)  # a measure without a code goes by its slug
        if indicator is None:
            problems.append(RowProblem(row.line, "indicator", f"{code!r} is not one of your indicators"))
            continue
        period = indicator.period_owed(round_.period, academic)
        if period is None or _text(cells.get("period")) != period.label:
            expected = period.label if period else "none this round"
            problems.append(
                RowProblem(row.line, "period", f"{_text(cells.get('period'))!r} is not the period due ({expected})")
            )
            continue
        group = groups.get((indicator.pk, period.pk))
        if group is None:
            group = groups[(indicator.pk, period.pk)] = _Group(indicator=indicator, period=period, first_line=row.line)
        group.rows.append((row.line, cells))
    return groups


def _read_rows(group: _Group, problems: list[RowProblem]) -> None:
    """The group's figures and words, checked cell by cell against its return's parts."""
    unit = group.indicator.unit
    parts = {(b.name if b else "").casefold(): key for key, _label, b in group.context.part_keys()}
    for line, cells in group.rows:
        if "version" in cells:
            raw = _text(cells.get("version"))
            try:
                version = int(raw or 0)
            except ValueError:
                problems.append(RowProblem(line, "version", "leave the version as downloaded (a whole number)"))
                continue
            if group.version is not None and version != group.version:
                problems.append(RowProblem(line, "version", f"differs from row {group.first_line} of the same return"))
            group.version = version
        written = _text(cells.get("breakdown"))
        part_key = parts.get(written.casefold())
        if part_key is None:
            choices = ", ".join(repr(p) for p in parts if p) or "none (leave it empty)"
            problems.append(
                RowProblem(line, "breakdown", f"{written!r} is not a breakdown of {group.indicator.code}: {choices}")
            )
            continue
        if part_key in group.numbers:
            problems.append(RowProblem(line, "breakdown", f"{group.indicator.code} {written} appears twice"))
            continue
        group.lines[part_key] = line
        group.numbers[part_key] = {}
        for column in NUMBER_COLUMNS:
            if column not in cells:
                continue
            raw = cells.get(column)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                group.numbers[part_key][column] = None
                continue
            try:
                # A figure may carry its unit's sign ("42.5%"); a rate's parts are plain counts.
                group.numbers[part_key][column] = parse_number(raw, unit=unit if column == "value" else "")
            except ValueError as error:
                problems.append(RowProblem(line, column, str(error)))
        for name in RETURN_FIELDS:
            if name not in cells:
                continue
            cell = _text(cells.get(name))
            if not cell:
                continue
            if name not in group.fields:
                group.fields[name], group.field_lines[name] = cell, line
            elif cell != group.fields[name]:
                earlier = group.field_lines[name]
                problems.append(RowProblem(line, name, f"differs from row {earlier} of the same return"))
    confidence = group.fields.get("confidence", "").lower()
    if confidence and confidence not in Confidence.values:
        line = group.field_lines["confidence"]
        problems.append(RowProblem(line, "confidence", f"use one of {', '.join(Confidence.values)}"))
    confirm = group.fields.get("confirm_change", "").lower()
    if confirm and confirm not in (*YES, *NO):
        problems.append(RowProblem(group.field_lines["confirm_change"], "confirm_change", "write yes or no"))


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


def _changes(group: _Group, entered: actions.ReturnInput) -> bool:
    """Whether the file changes anything of the saved return (an unchanged one is not saved again)."""
    saved = group.context.submission
    if saved is None:
        return any(v is not None for part in entered.numbers.values() for v in part.values()) or any(
            (entered.commentary, entered.remedial_action, entered.data_source, entered.evidence, entered.confidence)
        )
    values = group.context.values_by_key()
    saved_numbers = {
        key: {name: _same(getattr(values[key], name)) if key in values else None for name in NUMBER_COLUMNS}
        for key in entered.numbers
    }
    new_numbers = {key: {name: _same(v) for name, v in part.items()} for key, part in entered.numbers.items()}
    if new_numbers != saved_numbers:
        return True
    words = ("commentary", "remedial_action", "data_source", "evidence", "confidence", "change_confirmed")
    return any(getattr(entered, name) != getattr(saved, name) for name in words)


def _same(number: Decimal | None) -> Decimal | None:
    """Numbers compared by value (5.10 is 5.1)."""
    return None if number is None else Decimal(number).normalize()


def _note_skipped(groups, entered_ids: set[int], report: UploadReport) -> None:
    for group in groups.values():
        saved = group.context.submission
        if id(group) not in entered_ids and saved is not None and saved.status not in actions.EDITABLE:
            status = saved.get_status_display().lower()
            report.notes.append(
                f"{group.indicator.code or group.indicator.slug} ({group.period.label}) is {status}: "
                f"its unchanged row(s) from row {group.first_line} were skipped."
            )


def _locate(problem_field: str, group: _Group) -> tuple[str, int]:
    """The spreadsheet column and row a rule problem belongs to."""
    if problem_field == "change_confirmed":
        return "confirm_change", group.field_lines.get("confirm_change", group.first_line)
    if problem_field in RETURN_FIELDS:
        return problem_field, group.field_lines.get(problem_field, group.first_line)
    for key, line in group.lines.items():
        if problem_field == key:
            return "value", line
        if problem_field.startswith(f"{key}_"):
            return problem_field[len(key) + 1 :], line
    return problem_field, group.first_line
