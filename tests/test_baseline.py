"""Baseline round trip: record today's findings, fail only on new ones tomorrow."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from drgen.domain import Severity
from drgen.errors import DrgenError
from drgen.findings import Finding
from drgen.lint.engine.baseline import apply_baseline, load_baseline, write_baseline

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


def _load(path: Path):  # type: ignore[no-untyped-def]
    known, note = load_baseline(path)
    assert note is None
    return known


def test_round_trip_hides_known_findings_even_when_they_move(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    assert write_baseline(path, KNOWN, "") == 2  # the suppressed one is not recorded
    moved = [replace(f, line=f.line + 40) for f in KNOWN]
    new = Finding("DR001", Severity.HIGH, "no copy", "main.tf", 3, "aws_s3_bucket.logs")
    kept, hidden = apply_baseline([*moved, new], _load(path), "")
    assert hidden == 2
    assert kept == [moved[2], new]  # the suppressed finding stays visible as suppressed


def test_same_address_in_another_root_is_new(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(path, KNOWN[:1], "")
    kept, hidden = apply_baseline(KNOWN[:2], _load(path), "")
    assert (kept, hidden) == ([KNOWN[1]], 1)


def test_another_problem_of_the_same_rule_on_the_same_resource_is_new(tmp_path: Path) -> None:
    snapshot = Finding(
        "DR008", Severity.MEDIUM, "no final snapshot", "db.tf", 4, "aws_db_instance.orders",
        kind="no-final-snapshot",
    )  # fmt: skip
    backups_off = replace(snapshot, message="backups off", line=9, kind="automated-backups-off")
    path = tmp_path / "baseline.json"
    write_baseline(path, [snapshot], "")
    kept, hidden = apply_baseline([snapshot, backups_off], _load(path), "")
    assert (kept, hidden) == ([backups_off], 1)


def test_keys_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    """`lint infra` (root "modules/db" under prefix "infra") and `lint .` (root
    "infra/modules/db", no prefix) record the same key."""
    from_infra = Finding("DR003", Severity.HIGH, "x", "modules/db/main.tf", 1, "aws_db_instance.a",
                         root="modules/db")  # fmt: skip
    from_top = replace(from_infra, file="infra/modules/db/main.tf", root="infra/modules/db")
    path = tmp_path / "baseline.json"
    write_baseline(path, [from_infra], "infra")
    assert apply_baseline([from_top], _load(path), "") == ([], 1)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["findings"][0]["fingerprint"] == "DR003|infra/modules/db|aws_db_instance.a|"


def test_a_child_module_linted_alone_matches_what_the_full_run_recorded(tmp_path: Path) -> None:
    full = Finding("DR003", Severity.HIGH, "x", "infra/modules/db/main.tf", 3,
                   "module.db.aws_db_instance.a", root="infra", kind="no-copy")  # fmt: skip
    alone = replace(full, resource="aws_db_instance.a", root=".", file="main.tf")
    other_problem = replace(alone, kind="single-az")
    path = tmp_path / "baseline.json"
    write_baseline(path, [full], "")
    kept, hidden = apply_baseline([alone, other_problem], _load(path), "infra/modules/db")
    assert (kept, hidden) == ([other_problem], 1)


def test_version_1_baselines_are_honoured_with_a_migration_note(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    legacy = {"version": 1, "findings": [{"fingerprint": "DR001|app|aws_s3_bucket.assets"}]}
    path.write_text(json.dumps(legacy), encoding="utf-8")
    known, note = load_baseline(path)
    assert note is not None and "version 1" in note and "--write-baseline" in note
    seen_from_top = Finding("DR001", Severity.HIGH, "no copy", "infra/app/main.tf", 1,
                            "aws_s3_bucket.assets", root="infra/app")  # fmt: skip
    elsewhere = replace(seen_from_top, root="infra/other")
    assert apply_baseline([seen_from_top, elsewhere], known, "") == ([elsewhere], 1)


def test_file_is_sorted_versioned_and_stable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(first, KNOWN, "")
    write_baseline(second, list(reversed(KNOWN)), "")
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["version"] == 2
    assert [e["fingerprint"] for e in document["findings"]] == [
        "DR001|.|aws_s3_bucket.assets|",
        "DR001|b|aws_s3_bucket.assets|",
    ]
    assert "line" not in document["findings"][0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"version": 3, "findings": []}', "not a drgen baseline"),
        ('{"version": 2, "findings": [{"rule": "DR001"}]}', "fingerprint"),
        ('{"version": 2, "findings": [{"fingerprint": "x"}]}', "lacks rule_id"),
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
