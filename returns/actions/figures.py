"""Saving or submitting indicators' returns.

One write path for one return (the entry form, the API) and for many (the spreadsheet upload):
`do_save_returns` checks every return first against its context (returns/actions/contexts.py) and
writes all or none, in a constant number of queries however many returns it is given, with one audit
history row per changed row.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from core.audit import Channel, audit, bulk_create_audited, bulk_update_audited
from indicators.models import DataVersion, Indicator, ReportingPeriod, Return, Value
from returns.actions.common import (
    InvalidEntry,
    StaleEdit,
    WorkflowError,
    clean_texts,
    full_clean,
    refuse_if_stale,
    refuse_unless_editable,
    stamp_entry,
)
from returns.actions.contexts import ReturnContext, ReturnInput, judge, load_contexts
from returns.actions.rounds import refuse_unless_open
from returns.rules import EntryInput

RETURN_TEXTS = ("commentary", "remedial_action", "data_source", "evidence")
RETURN_FIELDS = [
    *RETURN_TEXTS,
    "confidence",
    "change_confirmed",
    "is_demonstration",
    "entered_by",
    "status",
    "submitted_at",
    "version",
]
VALUE_NUMBERS = ["value", "numerator", "denominator"]


@dataclass
class Entry:
    """One return to save: what was entered, and the version the person started from (0 for a new one)."""

    indicator: Indicator
    period: ReportingPeriod
    entered: ReturnInput
    expected_version: int


class EntriesRefused(WorkflowError):
    """Some of the returns given to do_save_returns were refused; nothing was saved. `errors` holds
    each refused return's error (InvalidEntry, StaleEdit or WorkflowError) by its position."""

    def __init__(self, errors: dict[int, WorkflowError]) -> None:
        super().__init__("; ".join(str(error) for error in errors.values()))
        self.errors = errors


def do_save_return(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    entered: ReturnInput,
    by,
    expected_version: int,
    submit: bool,
    channel: str = Channel.FORM,
    is_demonstration: bool = False,
) -> Return:
    """Save a return as a draft, or submit it for sign-off.

    `expected_version` is the version the person started from (0 for a new return): if someone else
    saved it since, nothing is written and the message names who and when.
    """
    try:
        (saved,) = do_save_returns(
            [Entry(indicator, period, entered, expected_version)],
            by=by,
            submit=submit,
            channel=channel,
            is_demonstration=is_demonstration,
        )
    except EntriesRefused as refused:
        raise refused.errors[0] from None
    return saved


def do_save_returns(
    entries: list[Entry],
    *,
    by,
    submit: bool,
    channel: str = Channel.FORM,
    is_demonstration: bool = False,
    contexts: dict[tuple[int, int], ReturnContext] | None = None,
) -> list[Return]:
    """Save (or submit) many returns at once: every one is checked as do_save_return would check it, and
    either all are written or none (EntriesRefused names each refusal). A constant number of queries.

    `contexts` are the entries' contexts (load_contexts) when the caller has just read them to check its
    input, as the upload has: read again otherwise. Either way they are read before the returns are
    locked, so a return changed since is refused by its version, and one started since by its key."""
    errors: dict[int, WorkflowError] = {}
    texts: dict[int, dict[str, str]] = {}
    for index, entry in enumerate(entries):
        try:
            texts[index] = clean_texts(**{name: getattr(entry.entered, name) for name in RETURN_TEXTS})
        except InvalidEntry as error:
            errors[index] = error
    if errors:
        raise EntriesRefused(errors)
    with transaction.atomic(), audit(channel=channel, user=by), DataVersion.changes():
        rounds = {  # each held (shared) until the end, so that none is signed off meanwhile
            period.pk: refuse_unless_open(None, period)
            for period in {entry.period.pk: entry.period for entry in entries}.values()
        }
        academic = ReportingPeriod.objects.academic_by_reporting_year()
        if contexts is None:
            contexts = load_contexts([(entry.indicator, entry.period) for entry in entries])
        existing_ids = sorted(c.submission.pk for c in contexts.values() if c.submission is not None)
        # Locked in one order (by id), so that two people saving overlapping returns cannot deadlock.
        # Only the returns' own rows (of=self: the default ordering joins indicator and period, whose rows a
        # plain FOR UPDATE would lock too, making every save in a quarter queue on its period).
        locking = Return.objects.select_for_update(of=("self",)).order_by("pk")
        locked = locking.in_bulk(existing_ids) if existing_ids else {}
        returns_new, returns_changed, values_new, values_changed = [], [], [], []
        saved: list[Return] = []
        for index, entry in enumerate(entries):
            context = contexts[(entry.indicator.pk, entry.period.pk)]
            current = locked.get(context.submission.pk) if context.submission else None
            try:
                if entry.indicator.period_owed(rounds[entry.period.pk].period, academic) != entry.period:
                    name = entry.indicator.code or entry.indicator.title
                    raise WorkflowError(f"{name} owes no return for {entry.period.label}.")
                refuse_if_stale(current, entry.expected_version, noun="return", doing="saved")
                refuse_unless_editable(current, noun="return")
                parts, problems = judge(context, entry.entered, submitting=submit)
                if problems:
                    raise InvalidEntry(problems)
                submission = current or Return(indicator=entry.indicator, period=entry.period)
                for name, text in texts[index].items():
                    setattr(submission, name, text)
                submission.confidence = entry.entered.confidence
                submission.change_confirmed = entry.entered.change_confirmed
                submission.is_demonstration = is_demonstration
                stamp_entry(submission, by=by, submit=submit, existing=current)
                full_clean(submission)
                new_values, changed_values = _values(context, parts, submission)
            except WorkflowError as error:
                errors[index] = error
                continue
            (returns_changed if current else returns_new).append(submission)
            values_new += new_values
            values_changed += changed_values
            saved.append(submission)
        if errors:
            raise EntriesRefused(errors)
        try:
            with transaction.atomic():
                bulk_create_audited(returns_new, Return)
        except IntegrityError:
            raise EntriesRefused(
                {0: StaleEdit("Someone else started one of these returns after you opened it. Nothing was saved.")}
            ) from None
        bulk_update_audited(returns_changed, Return, RETURN_FIELDS)
        bulk_create_audited(values_new, Value)  # each takes its new return's key (bulk_create sets it)
        bulk_update_audited(values_changed, Value, VALUE_NUMBERS)
        return saved


def _values(context: ReturnContext, entry: EntryInput, submission: Return) -> tuple[list[Value], list[Value]]:
    """The return's numbers as Value rows: those to create, and those whose numbers changed."""
    saved = context.submission
    existing = {v.breakdown_id: v for v in saved.values.all()} if saved is not None else {}  # prefetched
    new, changed = [], []
    for part, (_, _, breakdown) in zip(entry.parts, context.part_keys(), strict=True):
        numbers = (part.value, part.numerator, part.denominator)
        value = existing.get(breakdown.pk if breakdown else None)
        if value is None:
            value = Value(submission=submission, breakdown=breakdown)
            value.value, value.numerator, value.denominator = numbers
            full_clean(value)
            new.append(value)
        elif (value.value, value.numerator, value.denominator) != numbers:
            value.value, value.numerator, value.denominator = numbers
            full_clean(value)
            changed.append(value)
    return new, changed
