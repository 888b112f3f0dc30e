"""The ARC opt-ins in the spec: `failover.gate: arc-routing-control` and
`failover.region_switch_plan`, refused (located, exit 2, nothing written) where they make
no sense."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from drgen.cli import app
from drgen.domain import FailoverGate
from drgen.spec import load_spec
from drgen.spec.model import Failover
from drgen.spec.schema import drspec_schema
from tests.fixtures.specs.support import errors_of, only, position_of, write_spec

_COMPUTE = {"ami": "ami-0abcdef1234567890", "instance_type": "t3.small", "port": 8080,
            "min": 2, "max": 4}  # fmt: skip


def _text(
    failover: dict[str, Any],
    pattern: str = "warm-standby",
    regions: tuple[str, str] = ("us-east-1", "us-west-2"),
    routed: bool = True,
) -> str:
    document: dict[str, Any] = {
        "version": 1,
        "name": "shop",
        "pattern": pattern,
        "regions": {"primary": regions[0], "secondary": regions[1]},
        "objectives": {"rpo": "15m", "rto": "1h"},
    }
    if pattern == "active-active":
        document["write_mode"] = "write-global"
    if routed:
        document["dns"] = {"zone": "example.com", "record": "api"}
        document["compute"] = dict(_COMPUTE)
    document["failover"] = failover
    document["data"] = [{"type": "aurora", "name": "orders", "engine": "aurora-postgresql"}]
    return yaml.safe_dump(document, sort_keys=False)


_BOTH = {"gate": "arc-routing-control", "region_switch_plan": True}


def test_the_plan_is_off_by_default_and_the_schema_says_so() -> None:
    schema = drspec_schema()["properties"]["failover"]["properties"]["region_switch_plan"]
    assert schema["default"] is Failover().region_switch_plan is False
    assert schema["type"] == "boolean"


@pytest.mark.parametrize("pattern", ["pilot-light", "warm-standby"])
def test_both_opt_ins_load(tmp_path: Path, pattern: str) -> None:
    spec = load_spec(write_spec(tmp_path, _text(_BOTH, pattern)))
    assert spec.failover.gate is FailoverGate.ARC_ROUTING_CONTROL
    assert spec.failover.region_switch_plan is True


@pytest.mark.parametrize(
    ("failover", "pattern", "routed", "message", "hint"),
    [
        ({"region_switch_plan": True}, "warm-standby", True,
         "cloudwatch-alarm gate has no execution block", "add failover.gate: arc-routing-control"),
        (_BOTH, "backup-restore", False, "backup-restore has no live copy",
         "remove failover.region_switch_plan"),
        (_BOTH, "active-active", True, "active-active serves from both regions",
         "choose pilot-light or warm-standby"),
    ],
)  # fmt: skip
def test_a_plan_with_nothing_to_switch_is_a_located_error(
    tmp_path: Path, failover: dict[str, Any], pattern: str, routed: bool, message: str, hint: str
) -> None:
    text = _text(failover, pattern, routed=routed)
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.failover.region_switch_plan"
    assert (problem.line, problem.column) == position_of(text, "true")
    assert message in problem.message
    assert problem.hint is not None and hint in problem.hint


def test_arc_is_refused_outside_the_commercial_partition(tmp_path: Path) -> None:
    text = _text({"gate": "arc-routing-control"}, regions=("cn-north-1", "cn-northwest-1"))
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.failover.gate"
    assert "commercial partition" in problem.message


def test_a_non_boolean_is_a_schema_error(tmp_path: Path) -> None:
    text = _text({"gate": "arc-routing-control", "region_switch_plan": "yes"})
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.failover.region_switch_plan" and problem.line is not None


def test_render_writes_nothing_and_exits_2(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, _text({"region_switch_plan": True}))
    out = tmp_path / "out"
    rendered = CliRunner().invoke(app, ["render", str(spec), "--output", str(out)])
    assert rendered.exit_code == 2
    assert "$.failover.region_switch_plan" in rendered.stderr or "region_switch_plan" in (
        rendered.stderr
    )
    assert not out.exists()
