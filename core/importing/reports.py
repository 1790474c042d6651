"""What an import found and did, and running one all or nothing."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.audit import Channel, audit
from core.tables import ImportFileError, RowProblem

if TYPE_CHECKING:
    from core.importing.resources import SafeResource


class ImportProblems(ImportFileError):
    """Problems found before any row is imported (the header, duplicate keys, unreadable cells)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.column or ""))
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass
class ImportReport:
    dry_run: bool
    new: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            lines = [f"Nothing was imported: {len(self.problems)} problem(s)."]
            lines += [f"  {problem}" for problem in self.problems]
            return "\n".join(lines)
        verb = "Would import" if self.dry_run else "Imported"
        return f"{verb}: {self.new} new, {self.updated} changed, {self.skipped} unchanged."


def run_import(resource: "SafeResource", dataset: tablib.Dataset, *, dry_run: bool, user=None) -> ImportReport:
    """Import all rows or none; report each problem by file row (the header is row 1) and column."""
    report = ImportReport(dry_run=dry_run)
    with audit(channel=Channel.IMPORT, user=user):
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=user,
        )
    for error in result.base_errors:
        if isinstance(error.error, ImportProblems):
            report.problems.extend(error.error.problems)
        else:
            report.problems.append(RowProblem(None, None, _message(error.error)))
    for row_number, errors in result.row_errors():
        for error in errors:
            report.problems.append(RowProblem(row_number + 1, None, _message(error.error)))
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            column = None if attribute == NON_FIELD_ERRORS else resource.column_for(attribute)
            for message in messages:
                report.problems.append(RowProblem(invalid.number + 1, column, message))
    report.problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    totals = result.totals
    report.new, report.updated, report.skipped = totals["new"], totals["update"], totals["skip"]
    return report


def _message(error: Exception) -> str:
    """An error in words: a validation message as written, anything else by what it means."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ImportFileError):
        return str(error)
    text = str(error).strip()
    return f"the row could not be saved ({type(error).__name__}{': ' + text if text else ''})"
