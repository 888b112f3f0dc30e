"""`standby_instances` on an aurora store: pilot light's secondary is headless by default, and
a size the pattern cannot use is a located error (exit 2, nothing written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from drgen.cli import app
from drgen.spec import load_spec
from drgen.spec.model import Spec
from drgen.spec.schema import drspec_schema
from tests.fixtures.specs.support import errors_of, only, position_of, write_spec

_COMPUTE = {"ami": "ami-0abcdef1234567890", "instance_type": "t3.small", "port": 8080,
            "min": 2, "max": 4}  # fmt: skip


def _text(pattern: str, standby: int | None = None, failover: dict[str, Any] | None = None) -> str:
    store: dict[str, Any] = {"type": "aurora", "name": "orders", "engine": "aurora-postgresql"}
    if standby is not None:
        store["standby_instances"] = standby
    document: dict[str, Any] = {
        "version": 1,
        "name": "shop",
        "pattern": pattern,
        "regions": {"primary": "us-east-1", "secondary": "us-west-2"},
        "objectives": {"rpo": "15m", "rto": "4h"},
    }
    if pattern == "active-active":
        document["write_mode"] = "write-global"
    if pattern != "backup-restore":
        document["dns"] = {"zone": "example.com", "record": "api"}
        document["compute"] = dict(_COMPUTE)
    if failover:
        document["failover"] = failover
    document["data"] = [store]
    return yaml.safe_dump(document, sort_keys=False)


_PLAN = {"gate": "arc-routing-control", "region_switch_plan": True}


@pytest.mark.parametrize(
    ("pattern", "failover", "expected"),
    [
        ("pilot-light", None, 0),
        ("pilot-light", _PLAN, 1),
        ("warm-standby", None, 2),
        ("warm-standby", _PLAN, 2),
        ("active-active", None, 2),
    ],
)
def test_the_default_follows_the_pattern(
    tmp_path: Path, pattern: str, failover: dict[str, Any] | None, expected: int
) -> None:
    spec = load_spec(write_spec(tmp_path, _text(pattern, failover=failover)))
    (store,) = spec.data
    assert store.standby_instances is None
    assert spec.standby_instances(store) == expected


@given(st.integers(min_value=0, max_value=15))
def test_a_pilot_light_spec_keeps_the_count_it_asks_for(count: int) -> None:
    raw = yaml.safe_load(_text("pilot-light", count))
    spec = Spec.from_dict(raw)
    assert spec.standby_instances(spec.data[0]) == count


@pytest.mark.parametrize(
    ("pattern", "count", "failover", "says"),
    [
        ("backup-restore", 1, None, "backup-restore keeps no Aurora secondary cluster"),
        ("active-active", 0, None, "has no instance to serve them"),
        ("pilot-light", 0, _PLAN, "has none to promote"),
    ],
)
def test_a_size_the_pattern_cannot_use_is_a_located_error(
    tmp_path: Path, pattern: str, count: int, failover: dict[str, Any] | None, says: str
) -> None:
    text = _text(pattern, count, failover)
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.data[0].standby_instances"
    line, column = position_of(text, f"standby_instances: {count}")
    assert (problem.line, problem.column) == (line, column + len("standby_instances: "))
    assert says in problem.message
    assert problem.hint


@pytest.mark.parametrize("kind", ["rds", "s3", "dynamodb"])
def test_only_aurora_stores_take_it(tmp_path: Path, kind: str) -> None:
    store = {"type": kind, "name": "things", "standby_instances": 1}
    store |= {"rds": {"engine": "postgres"}, "dynamodb": {"hash_key": "id"}}.get(kind, {})
    document = yaml.safe_load(_text("pilot-light"))
    document["data"] = [store]
    problem = only(errors_of(write_spec(tmp_path, yaml.safe_dump(document, sort_keys=False))))
    assert problem.json_path == "$.data[0].standby_instances"
    assert "not allowed here" in problem.message


@pytest.mark.parametrize("count", [-1, 16])
def test_bounds(tmp_path: Path, count: int) -> None:
    problem = only(errors_of(write_spec(tmp_path, _text("pilot-light", count))))
    assert problem.json_path == "$.data[0].standby_instances"


def test_the_schema_documents_the_defaults() -> None:
    store = drspec_schema()["$defs"]["store"]["properties"]["standby_instances"]
    assert store["type"] == "integer" and store["minimum"] == 0
    assert "0 with pilot-light" in store["description"]


def test_render_writes_nothing_and_exits_2(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, _text("active-active", 0))
    out = tmp_path / "out"
    rendered = CliRunner().invoke(app, ["render", str(spec), "--output", str(out)])
    assert rendered.exit_code == 2
    assert "standby_instances" in rendered.stderr
    assert not out.exists()
