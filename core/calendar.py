"""Working days: the one home of the rule that deadlines and reminders count by.

A working day is Monday to Friday and not a bank holiday in England and Wales (from the `holidays`
package, kept up to date by its maintainers), nor a date in LUTON_EXTRA_HOLIDAYS (a setting for the
council's own closure days, such as the days between Christmas and New Year).
"""

import datetime as dt
from functools import cache

import holidays
from django.conf import settings


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in _extra_holidays()


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start`."""
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days there are after `start`, up to and including `end` (0 if end <= start)."""
    days, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            days += 1
    return days


def _extra_holidays() -> frozenset[dt.date]:
    return frozenset(getattr(settings, "LUTON_EXTRA_HOLIDAYS", ()))
