"""How often an AWS Backup rule runs: the longest gap between runs of its ``schedule``.

Understood: ``rate(N minute|minutes|hour|hours|day|days)`` and six-field AWS cron
(``cron(min hour day-of-month month day-of-week year)``) whose minute and hour fields use
``*``, numbers, lists, ranges and ``/`` steps, with every month and year, and either every
day, a set of weekdays (1-7 or SUN-SAT) or a set of days of the month (gaps assume 31-day
months). Not understood (ScheduleError): ``L``, ``W``, ``#``, restricted months or years.
"""

from __future__ import annotations

import re
from itertools import pairwise

_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_UNIT = {"minute": 60, "hour": 3600, "day": 86400}
_WEEKDAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_DAY = 1440  # minutes


class ScheduleError(ValueError):
    """A schedule expression drgen cannot turn into an interval (the message says why)."""


def interval_seconds(expression: str) -> int:
    """Longest gap between two runs, in seconds: ``cron(0 */4 * * ? *)`` -> 14400."""
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        count = int(rate.group(1))
        if count < 1:
            raise ScheduleError(f"{text}: the rate must be at least 1")
        return count * _UNIT[rate.group(2).rstrip("s")]
    cron = _CRON.match(text)
    if not cron:
        raise ScheduleError(f"{text!r} is neither rate(...) nor cron(...)")
    fields = cron.group(1).split()
    if len(fields) != 6:
        raise ScheduleError(f"{text}: AWS cron has 6 fields, found {len(fields)}")
    try:
        return _cron_gap(*fields) * 60
    except ScheduleError as error:
        raise ScheduleError(f"{text}: {error}") from None


def _cron_gap(
    minute: str, hour: str, day_of_month: str, month: str, day_of_week: str, year: str
) -> int:
    if month not in ("*", "?") or year not in ("*", "?"):
        raise ScheduleError("schedules restricted to some months or years are not understood")
    times = sorted(h * 60 + m for h in _values(hour, 0, 23) for m in _values(minute, 0, 59))
    if day_of_month not in ("*", "?") and day_of_week not in ("*", "?"):
        raise ScheduleError("day-of-month and day-of-week cannot both be set")
    if day_of_month not in ("*", "?"):
        return _days_gap(times, sorted(_values(day_of_month, 1, 31)), cycle=31)
    if day_of_week not in ("*", "?"):
        return _days_gap(times, sorted(_values(day_of_week, 1, 7, _WEEKDAYS)), cycle=7)
    return _days_gap(times, [0], cycle=1)


def _days_gap(times: list[int], days: list[int], cycle: int) -> int:
    """Longest gap in minutes when ``times`` run on each of ``days`` of a ``cycle``-day period."""
    runs = [day * _DAY + t for day in days for t in times]
    wrap = runs[0] + cycle * _DAY - runs[-1]
    return max([b - a for a, b in pairwise(runs)] + [wrap])


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    found: set[int] = set()
    for part in field.upper().split(","):
        base, _, step_text = part.partition("/")
        step = _number(step_text, names=None) if step_text else 1
        if step < 1:
            raise ScheduleError(f"step {step_text!r} must be at least 1")
        if base == "*":
            start, stop = low, high
        elif "-" in base:
            first, last = base.split("-", 1)
            start, stop = _number(first, names), _number(last, names)
        else:
            start = _number(base, names)
            stop = high if step_text else start
        if not low <= start <= stop <= high:
            raise ScheduleError(f"{part!r} is outside {low}-{high}")
        found.update(range(start, stop + 1, step))
    return found


def _number(text: str, names: dict[str, int] | None) -> int:
    if names and text in names:
        return names[text]
    if not text.isdigit():
        raise ScheduleError(
            f"{text!r} is not understood (only numbers, names, ranges, lists, steps)"
        )
    return int(text)
