"""`drgen validate`, `drgen schema` and `drgen init`, through the CLI; the samples; the schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from drgen.cli import app
from drgen.domain import AWS_REGIONS, DURATION_PATTERN, Pattern, StoreType, WriteMode
from drgen.resources import data_dir
from drgen.spec import load_spec_with_warnings
from drgen.spec.schema import drspec_schema
from drgen.spec.starters import STARTERS
from tests.fixtures.specs.support import SPECS, edited, sample_text
from tests.golden import GOLDEN_ROOT, assert_golden_text

SAMPLES = sorted(data_dir("samples").glob("*.yaml"))
runner = CliRunner()


def test_six_samples_cover_every_pattern_and_store_type() -> None:
    assert [path.stem for path in SAMPLES] == [
        "active-active-write-global",
        "active-active-write-local",
        "active-active-write-origin",
        "backup-restore",
        "pilot-light",
        "warm-standby",
    ]
    specs = [load_spec_with_warnings(path)[0] for path in SAMPLES]
    assert {spec.pattern for spec in specs} == set(Pattern)
    assert {spec.write_mode for spec in specs} == {*WriteMode, None}
    assert {store.type for spec in specs for store in spec.data} == set(StoreType)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.stem)
def test_every_sample_validates_without_warnings(sample: Path) -> None:
    spec, warnings = load_spec_with_warnings(sample)
    assert warnings == []
    assert spec.source == sample
    first_line = sample.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schemas/drspec.schema.json"
    if spec.write_mode is not None:
        assert sample.stem == f"active-active-{spec.write_mode.value}"
    result = runner.invoke(app, ["validate", str(sample)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"ok: {sample} ({spec.pattern.value}")


def test_validate_reports_every_problem_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    monkeypatch.chdir(SPECS)
    result = runner.invoke(app, ["validate", "multi-error.yaml"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert_golden_text(
        result.stderr, GOLDEN_ROOT / "spec" / "validate-multi-error.txt", update_goldens
    )


@pytest.mark.parametrize(
    "text", ["version: 1\nname: [\n", "a: &a [*a]\n", "version: 1\nname: x\nname: y\n"]
)
def test_validate_never_shows_a_traceback(tmp_path: Path, text: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(spec)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"{spec}:")
    assert "\n  fix: " in result.stderr


def test_validate_prints_warnings_and_succeeds(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(edited(sample_text(), "glacier_after_days: 90", "glacier_after_days: 1"))
    result = runner.invoke(app, ["validate", str(spec)])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"warning: {spec}:")
    assert result.stdout == f"ok: {spec} (warm-standby)\n"


def test_schema_command_prints_the_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == drspec_schema()


@pytest.mark.parametrize("pattern", sorted(STARTERS))
def test_init_writes_a_valid_starter(tmp_path: Path, pattern: str) -> None:
    target = tmp_path / "infra" / "dr.yaml"
    result = runner.invoke(app, ["init", "--pattern", pattern, "--output", str(target)])
    assert result.exit_code == 0, result.output
    spec, warnings = load_spec_with_warnings(target)
    assert warnings == []
    assert pattern.startswith(spec.pattern.value)
    if pattern != "active-active" and spec.write_mode is not None:
        assert pattern.endswith(spec.write_mode.value)
    modeline = target.read_text(encoding="utf-8").splitlines()[0]
    assert modeline == "# yaml-language-server: $schema=drspec.schema.json"  # portable
    written = json.loads((target.parent / "drspec.schema.json").read_text(encoding="utf-8"))
    assert written == drspec_schema()


def test_init_keeps_an_existing_schema_and_says_when_it_is_stale(tmp_path: Path) -> None:
    (tmp_path / "drspec.schema.json").write_text("{}\n", encoding="utf-8")
    result = runner.invoke(app, ["init", "-p", "pilot-light", "-o", str(tmp_path / "dr.yaml")])
    assert result.exit_code == 0, result.output
    assert "differs from this drgen's" in result.stdout
    assert (tmp_path / "drspec.schema.json").read_text(encoding="utf-8") == "{}\n"
    refreshed = runner.invoke(app, ["schema", "-o", str(tmp_path / "drspec.schema.json")])
    assert refreshed.exit_code == 0
    written = json.loads((tmp_path / "drspec.schema.json").read_text(encoding="utf-8"))
    assert written == drspec_schema()


def test_init_to_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(data_dir("samples").parent)
    result = runner.invoke(app, ["init", "-p", "pilot-light"])
    assert result.exit_code == 0
    assert result.stdout == sample_text("pilot-light").replace("$schema=../schemas/", "$schema=", 1)


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "dr.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", "-p", "warm-standby", "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{target}: refusing to overwrite an existing file")
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_init_unknown_pattern_lists_the_valid_ones() -> None:
    result = runner.invoke(app, ["init", "-p", "hot-standby"])
    assert result.exit_code == 2
    assert "unknown pattern 'hot-standby'" in result.stderr
    assert "fix: use one of: backup-restore, pilot-light, warm-standby, active-active," in (
        result.stderr
    )


# --- the schema itself --------------------------------------------------------------------------


def test_schema_is_valid_2020_12() -> None:
    Draft202012Validator.check_schema(drspec_schema())


def test_schema_regions_match_the_domain() -> None:
    assert drspec_schema()["$defs"]["region"]["enum"] == sorted(AWS_REGIONS)


@pytest.mark.parametrize("text", ["0s", "15m", "4h", "1d", "90m", "1.5h", "15", "m", " 1h", "1w"])
def test_schema_durations_match_the_domain(text: str) -> None:
    schema_pattern = drspec_schema()["$defs"]["duration"]["pattern"]
    assert bool(re.search(schema_pattern, text)) == bool(re.match(DURATION_PATTERN, text))


def test_schema_enums_match_the_domain() -> None:
    properties = drspec_schema()["properties"]
    assert properties["pattern"]["enum"] == [item.value for item in Pattern]
    assert properties["write_mode"]["enum"] == [item.value for item in WriteMode]
    store_types = drspec_schema()["$defs"]["store"]["properties"]["type"]["enum"]
    assert store_types == [item.value for item in StoreType]


def _objects(node: Any, where: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


def test_every_object_is_closed_and_every_key_described() -> None:
    objects = list(_objects(drspec_schema()))
    assert len(objects) >= 10
    for where, schema in objects:
        assert "additionalProperties" in schema, where
        assert schema["additionalProperties"] is False or where.endswith("/tags"), where
        assert "description" in schema, where
        for key, value in schema.get("properties", {}).items():
            assert "description" in value, f"{where}/properties/{key}"
