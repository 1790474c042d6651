"""Working days (core/calendar.py): the one rule deadlines and reminders count by."""

import datetime as dt

import pytest

from core.calendar import add_working_days, is_working_day, working_days_between
from returns.models import ReportingRound
from returns.reminders import reminder_kind


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # 2010/11 Q3 ends on Friday 31 December; Monday 3 January 2011 is the New Year bank holiday.
        (dt.date(2010, 12, 31), 20, dt.date(2011, 1, 31)),
        (dt.date(2010, 6, 30), 20, dt.date(2010, 7, 28)),
        (dt.date(2010, 9, 30), 1, dt.date(2010, 10, 1)),
        # Good Friday and Easter Monday 2010 (2 and 5 April) are not working days.
        (dt.date(2010, 3, 31), 2, dt.date(2010, 4, 6)),
    ],
)
def test_deadlines_count_working_days_without_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_the_councils_own_closure_days_do_not_count(settings):
    settings.LUTON_EXTRA_HOLIDAYS = [dt.date(2010, 12, 29), dt.date(2010, 12, 30)]
    # 24 December 2010 is a Friday; 27 and 28 are bank holidays, 29 and 30 closure days.
    assert add_working_days(dt.date(2010, 12, 24), 1) == dt.date(2010, 12, 31)
    assert not is_working_day(dt.date(2010, 12, 29))


def test_reminders_count_the_same_working_days_as_deadlines():
    """Five working days before a deadline of Friday 7 January 2011 start on Thursday 30 December 2010, not
    Friday 31 December: Monday 3 January is a bank holiday (and 27, 28 December too)."""
    deadline = dt.date(2011, 1, 7)
    assert working_days_between(dt.date(2010, 12, 30), deadline) == 5
    round_ = ReportingRound(opens_on=dt.date(2010, 12, 1), deadline=deadline)
    assert reminder_kind(round_, dt.date(2010, 12, 29)) is None
    assert reminder_kind(round_, dt.date(2010, 12, 30)) == "before"
    assert reminder_kind(round_, deadline) == "due"
    assert reminder_kind(round_, dt.date(2011, 1, 10)) == "overdue"
