import pytest

from drgen.domain import Severity, format_duration, parse_duration
from drgen.errors import DrgenError, Problem


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("4h", 14400), ("1d", 86400)]
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("text", ["", "15", "m", "1.5h", "-1h", "1w", "1 h x"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_severity_order() -> None:
    assert Severity.CRITICAL.at_least(Severity.HIGH)
    assert not Severity.LOW.at_least(Severity.MEDIUM)


def test_error_format_sorted_and_located() -> None:
    error = DrgenError(
        [
            Problem("second", file="s.yaml", line=9, column=3),
            Problem("first", file="s.yaml", line=2, column=1, json_path="$.name", hint="use a-z"),
        ]
    )
    assert error.format() == ("s.yaml:2:1: first (at $.name)\n  fix: use a-z\ns.yaml:9:3: second")
