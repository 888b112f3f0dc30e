"""Baseline round trip: record today's findings, fail only on new ones tomorrow."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from drgen.domain import Severity
from drgen.errors import DrgenError
from drgen.findings import Finding
from drgen.lint.baseline import apply_baseline, load_baseline, write_baseline

KNOWN = [
    Finding("DR001", Severity.HIGH, "no copy", "main.tf", 10, "aws_s3_bucket.assets"),
    Finding("DR001", Severity.HIGH, "no copy", "main.tf", 10, "aws_s3_bucket.assets", root="b"),
    Finding(
        "DR010",
        Severity.CRITICAL,
        "dual writes",
        "main.tf",
        15,
        "aws_dynamodb_table.sessions",
        suppressed=True,
        suppression_reason="sharded",
    ),
]


def test_round_trip_hides_known_findings_even_when_they_move(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    assert write_baseline(path, KNOWN) == 2  # the suppressed one is not recorded
    known = load_baseline(path)
    moved = [replace(f, line=f.line + 40) for f in KNOWN]
    new = Finding("DR001", Severity.HIGH, "no copy", "main.tf", 3, "aws_s3_bucket.logs")
    kept, hidden = apply_baseline([*moved, new], known)
    assert hidden == 2
    assert kept == [moved[2], new]  # the suppressed finding stays visible as suppressed


def test_same_address_in_another_root_is_new(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(path, KNOWN[:1])
    kept, hidden = apply_baseline(KNOWN[:2], load_baseline(path))
    assert (kept, hidden) == ([KNOWN[1]], 1)


def test_file_is_sorted_versioned_and_stable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(first, KNOWN)
    write_baseline(second, list(reversed(KNOWN)))
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert [e["fingerprint"] for e in document["findings"]] == [
        "DR001|.|aws_s3_bucket.assets",
        "DR001|b|aws_s3_bucket.assets",
    ]
    assert "line" not in document["findings"][0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"version": 2, "findings": []}', "not a drgen baseline"),
        ('{"version": 1, "findings": [{"rule": "DR001"}]}', "fingerprint"),
    ],
)
def test_bad_baseline_is_a_located_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        load_baseline(path)
    assert message in caught.value.format()
    assert caught.value.problems[0].file == str(path)


def test_missing_baseline_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(DrgenError) as caught:
        load_baseline(tmp_path / "nope.json")
    assert "--write-baseline" in caught.value.format()
