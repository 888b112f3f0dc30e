"""Backup rule schedules -> the longest gap between runs; durations and --objectives parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drgen.errors import DrgenError
from drgen.objectives import parse_objectives_option
from drgen.objectives.options import backup_cron
from drgen.objectives.report import human_duration
from drgen.objectives.schedule import ScheduleError, interval_seconds

H, D = 3600, 86400


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("cron(0 */4 * * ? *)", 4 * H),
        ("cron(0 5 ? * * *)", D),
        ("cron(0 5 * * ? *)", D),
        ("cron(15 0/6 * * ? *)", 6 * H),
        ("cron(0 1,13 * * ? *)", 12 * H),
        ("cron(0 2,3 * * ? *)", 23 * H),  # the long gap is overnight
        ("cron(30 * * * ? *)", H),
        ("cron(0 5 ? * MON *)", 7 * D),
        ("cron(0 5 ? * 2 *)", 7 * D),
        ("cron(0 5,17 ? * MON-FRI *)", 60 * H),  # Friday 17:00 to Monday 05:00
        ("cron(0 5 1 * ? *)", 31 * D),
        ("cron(0 5 1,15 * ? *)", 17 * D),  # the 15th to the 1st of a 31-day month
        ("  cron(0  */4 * *  ? *)  ", 4 * H),
        ("rate(1 hour)", H),
        ("rate(12 hours)", 12 * H),
        ("rate(30 minutes)", 1800),
        ("rate(7 days)", 7 * D),
    ],
)
def test_interval(expression: str, seconds: int) -> None:
    assert interval_seconds(expression) == seconds


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("cron(0 5 L * ? *)", "'L' is not understood"),
        ("cron(0 5 ? * 2#1 *)", "'2#1' is not understood"),
        ("cron(0 5 15W * ? *)", "'15W' is not understood"),
        ("cron(0 5 * 1 ? *)", "months or years"),
        ("cron(0 5 * * ? 2027)", "months or years"),
        ("cron(0 5 1 * MON *)", "cannot both be set"),
        ("cron(0 25 * * ? *)", "outside 0-23"),
        ("cron(0 */0 * * ? *)", "at least 1"),
        ("cron(0 5 * *)", "6 fields"),
        ("rate(0 hours)", "at least 1"),
        ("rate(2 weeks)", "neither rate"),
        ("daily", "neither rate"),
    ],
)
def test_unreadable_schedules_say_why(expression: str, reason: str) -> None:
    with pytest.raises(ScheduleError, match=reason.replace("(", r"\(")):
        interval_seconds(expression)


@given(st.sampled_from([1, 2, 3, 4, 6, 8, 12, 24]))
def test_suggested_backup_schedules_run_at_the_interval_they_promise(hours: int) -> None:
    assert interval_seconds(backup_cron(hours)) == hours * H


@given(st.integers(min_value=0, max_value=10 * D))
def test_human_duration_is_exact(seconds: int) -> None:
    units = {"d": D, "h": H, "m": 60, "s": 1}
    parts = human_duration(seconds).split()
    assert sum(int(p[:-1]) * units[p[-1]] for p in parts) == seconds


def test_objectives_option() -> None:
    parsed = parse_objectives_option(" rto=1h , rpo=15m")
    assert (parsed.rpo_seconds, parsed.rto_seconds) == (900, 3600)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("rpo=15m", "rto missing"),
        ("rpo=15m,rto=1h,rpo=5m", "rpo is given twice"),
        ("rpo=15 minutes,rto=1h", "not a duration"),
        ("rpo:15m,rto=1h", "is not rpo=<duration>"),
        ("mttr=1h,rpo=1m,rto=1h", "is not rpo=<duration>"),
        ("", "is not rpo=<duration>"),
    ],
)
def test_objectives_option_errors(text: str, reason: str) -> None:
    with pytest.raises(DrgenError) as caught:
        parse_objectives_option(text)
    assert reason in caught.value.format()
    assert "--objectives rpo=15m,rto=1h" in caught.value.format()
