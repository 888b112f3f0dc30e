"""The `failover:` key: defaults, automatic only where no store waits for a promotion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drgen.cli import app
from drgen.domain import FailoverGate, FailoverMode
from drgen.errors import DrgenError
from drgen.spec import load_spec
from drgen.spec.model import Failover
from drgen.spec.schema import drspec_schema
from tests.fixtures.specs.support import (
    errors_of,
    only,
    position_of,
    sample_text,
    warnings_of,
    write_spec,
)

_STORES = {
    "s3": {"type": "s3", "name": "assets"},
    "dynamodb": {"type": "dynamodb", "name": "sessions", "hash_key": "id"},
    "aurora": {"type": "aurora", "name": "orders", "engine": "aurora-mysql"},
    "rds": {"type": "rds", "name": "legacy", "engine": "postgres"},
}


def _spec_text(
    pattern: str = "warm-standby",
    stores: tuple[str, ...] = ("dynamodb",),
    failover: dict[str, Any] | None = None,
    write_mode: str | None = None,
) -> str:
    document: dict[str, Any] = {
        "version": 1,
        "name": "shop",
        "pattern": pattern,
        "regions": {"primary": "us-east-1", "secondary": "us-west-2"},
        "objectives": {"rpo": "15m", "rto": "1h"},
    }
    if write_mode:
        document["write_mode"] = write_mode
    if pattern != "backup-restore":
        document["dns"] = {"zone": "example.com", "record": "api"}
        document["compute"] = {
            "ami": "ami-0abcdef1234567890",
            "instance_type": "t3.small",
            "port": 8080,
            "min": 2,
            "max": 4,
        }
    if failover is not None:
        document["failover"] = failover
    document["data"] = [_STORES[kind] for kind in stores]
    return yaml.safe_dump(document, sort_keys=False)


def test_every_sample_defaults_to_a_manual_alarm_gate_and_fifteen_minutes(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, sample_text("warm-standby")))
    assert spec.failover == Failover(FailoverMode.MANUAL, FailoverGate.CLOUDWATCH_ALARM, "15m")
    assert spec.failover.decision_seconds == 900


def test_the_schema_documents_the_same_defaults_and_values() -> None:
    schema = drspec_schema()["properties"]["failover"]["properties"]
    default = Failover()
    assert schema["mode"]["default"] == default.mode
    assert schema["gate"]["default"] == default.gate
    assert schema["decision_time"]["default"] == default.decision_time
    assert schema["mode"]["enum"] == [item.value for item in FailoverMode]
    assert schema["gate"]["enum"] == [item.value for item in FailoverGate]


def test_explicit_settings_are_kept(tmp_path: Path) -> None:
    failover = {"mode": "manual", "gate": "arc-routing-control", "decision_time": "30m"}
    spec = load_spec(write_spec(tmp_path, _spec_text(stores=("aurora",), failover=failover)))
    assert spec.failover == Failover(FailoverMode.MANUAL, FailoverGate.ARC_ROUTING_CONTROL, "30m")
    assert spec.failover.decision_seconds == 1800


@pytest.mark.parametrize(
    ("pattern", "write_mode", "stores"),
    [
        ("warm-standby", None, ("dynamodb",)),
        ("warm-standby", None, ()),
        ("active-active", "write-global", ("dynamodb",)),
        ("active-active", "write-origin", ("s3", "dynamodb")),
        ("active-active", "write-local", ("s3",)),
    ],
)
def test_automatic_where_every_store_is_writable_in_the_secondary_region(
    tmp_path: Path, pattern: str, write_mode: str | None, stores: tuple[str, ...]
) -> None:
    text = _spec_text(pattern, stores, {"mode": "automatic"}, write_mode)
    if write_mode == "write-local":
        text += "dual_master_acknowledgement: assets are immutable uploads keyed by content hash\n"
    assert load_spec(write_spec(tmp_path, text)).failover.mode is FailoverMode.AUTOMATIC


@pytest.mark.parametrize(
    ("stores", "named"),
    [
        (("dynamodb", "aurora"), "data[1] 'orders' (Aurora needs a promotion)"),
        (("rds",), "data[0] 'legacy' (RDS needs a promotion)"),
        (("s3",), "data[0] 'assets' (S3 replicates one way: writes in the secondary region"),
    ],
)
def test_automatic_refused_while_a_store_needs_a_promotion(
    tmp_path: Path, stores: tuple[str, ...], named: str
) -> None:
    text = _spec_text(stores=stores, failover={"mode": "automatic"})
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.failover.mode"
    assert (problem.line, problem.column) == position_of(text, "automatic")
    assert problem.message.startswith("automatic failover would send writes to the secondary")
    assert named in problem.message
    assert problem.hint is not None and problem.hint.startswith("use failover.mode: manual")


def test_one_way_s3_suggests_replicating_both_ways(tmp_path: Path) -> None:
    text = _spec_text("active-active", ("s3",), {"mode": "automatic"}, "write-global")
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.hint is not None
    assert problem.hint.endswith("or write_mode: write-origin, which replicates S3 both ways")


def test_backup_restore_never_fails_over_automatically(tmp_path: Path) -> None:
    text = _spec_text("backup-restore", ("dynamodb",), {"mode": "automatic"})
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.failover.mode"
    assert "restored from backups" in problem.message


def test_validate_exits_2_and_render_writes_nothing(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, _spec_text(stores=("aurora",), failover={"mode": "automatic"}))
    runner = CliRunner()
    validated = runner.invoke(app, ["validate", str(spec)])
    assert validated.exit_code == 2
    assert "fix: use failover.mode: manual" in validated.stderr
    out = tmp_path / "out"
    rendered = runner.invoke(app, ["render", str(spec), "--output", str(out)])
    assert rendered.exit_code == 2
    assert not out.exists()


@pytest.mark.parametrize(
    ("failover", "where"),
    [
        ({"mode": "automtic"}, "$.failover.mode"),
        ({"decision_time": "15 min"}, "$.failover.decision_time"),
        ({"gate": "arc"}, "$.failover.gate"),
        ({"delay": "1m"}, "$.failover.delay"),
    ],
)
def test_schema_violations_are_located(
    tmp_path: Path, failover: dict[str, Any], where: str
) -> None:
    problem = only(errors_of(write_spec(tmp_path, _spec_text(failover=failover))))
    assert problem.json_path == where and problem.line is not None and problem.hint


def test_pilot_light_automatic_warns_that_nothing_serves_until_scaled(tmp_path: Path) -> None:
    warning = only(
        warnings_of(write_spec(tmp_path, _spec_text("pilot-light", failover={"mode": "automatic"})))
    )
    assert warning.json_path == "$.failover.mode"
    assert "keeps answering with the primary" in warning.message


def test_settings_that_do_nothing_warn(tmp_path: Path) -> None:
    automatic = _spec_text(failover={"mode": "automatic", "decision_time": "5m"})
    assert [w.json_path for w in warnings_of(write_spec(tmp_path, automatic))] == [
        "$.failover.decision_time"
    ]
    backup = _spec_text("backup-restore", failover={"gate": "arc-routing-control"})
    assert [w.json_path for w in warnings_of(write_spec(tmp_path, backup, "b.yaml"))] == [
        "$.failover.gate"
    ]


_WRITABLE = {  # the rule, stated independently of the code: who takes writes without a promotion
    ("dynamodb", "write-global"), ("dynamodb", "write-origin"), ("dynamodb", None),
    ("s3", "write-origin"),
}  # fmt: skip


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stores=st.lists(st.sampled_from(sorted(_STORES)), max_size=4, unique=True),
    shape=st.sampled_from(
        [("pilot-light", None), ("warm-standby", None), ("backup-restore", None),
         ("active-active", "write-global"), ("active-active", "write-origin")]
    ),
)  # fmt: skip
def test_automatic_is_accepted_exactly_when_no_store_waits(
    tmp_path: Path, stores: list[str], shape: tuple[str, str | None]
) -> None:
    pattern, write_mode = shape
    text = _spec_text(pattern, tuple(stores), {"mode": "automatic"}, write_mode)
    expected = pattern != "backup-restore" and all((s, write_mode) in _WRITABLE for s in stores)
    try:
        load_spec(write_spec(tmp_path, text))
        accepted = True
    except DrgenError as error:
        assert [p.json_path for p in error.problems] == ["$.failover.mode"]
        accepted = False
    assert accepted is expected
