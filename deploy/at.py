"""Sleep until the next working day (Monday to Friday) at HH:MM, local time: `python deploy/at.py 08:00`.
The compose file's reminders loop uses it instead of cron, which the slim image does not have."""

import datetime as dt
import sys
import time


def next_run(now: dt.datetime, hour: int, minute: int) -> dt.datetime:
    """The first working-day HH:MM after `now`."""
    run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    while run <= now or run.weekday() >= 5:
        run += dt.timedelta(days=1)
    return run


if __name__ == "__main__":
    hour, minute = (int(part) for part in sys.argv[1].split(":"))
    now = dt.datetime.now()
    time.sleep((next_run(now, hour, minute) - now).total_seconds())
