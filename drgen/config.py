"""The lint configuration: `.drgen.yaml` or `[tool.drgen]` in pyproject.toml.

Found by walking up from the first linted path to the repository root (the folder with
`.git`); validated against schemas/config.schema.json with located errors. Relative paths
in the file are relative to the file. Command-line flags win over everything here
(drgen.lint.command merges them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drgen.domain import Severity
from drgen.errors import DrgenError, Problem
from drgen.resources import data_dir

if TYPE_CHECKING:
    import yaml

    from drgen.spec.model import Objectives

CONFIG_NAME = ".drgen.yaml"


@dataclass(frozen=True)
class RenderTarget:
    spec: Path
    output: Path


@dataclass(frozen=True)
class Config:
    source: Path | None = None  # the file it came from; None for the empty default
    enable: frozenset[str] | None = None  # None: every policy
    skip: frozenset[str] = frozenset()
    policies_dirs: tuple[Path, ...] = ()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    min_severity: Severity | None = None
    strict: bool | None = None
    objectives: Objectives | None = None
    spec: Path | None = None
    exclude: tuple[str, ...] = ()
    baseline: Path | None = None
    render: tuple[RenderTarget, ...] = ()

    @property
    def root(self) -> Path | None:
        """The folder holding the configuration (the repository root by convention)."""
        return self.source.parent if self.source else None


def find_config(start: Path) -> Path | None:
    """The nearest `.drgen.yaml` or pyproject.toml with [tool.drgen], up to the repo root."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate / CONFIG_NAME
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _TOOL_TABLE.search(pyproject.read_text(encoding="utf-8")):
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether posix ``path`` or a folder above it matches an fnmatch pattern."""
    from fnmatch import fnmatchcase

    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatchcase(p, pattern) for p in prefixes for pattern in patterns)


def load_config(path: Path) -> Config:
    """Read and validate a config file; DrgenError lists every problem with its position."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DrgenError(Problem(f"cannot read config: {error.strerror}", file=str(path))) from None
    if path.name == "pyproject.toml":
        data, locate = _read_pyproject(path, text)
    else:
        data, locate = _read_yaml(path, text)
    problems = []
    for invalid in _validator().iter_errors(data):
        line, column = locate(list(invalid.absolute_path))
        problems.append(
            Problem(
                invalid.message,
                file=str(path),
                line=line,
                column=column,
                json_path=invalid.json_path,
                hint=_hint(invalid.validator, invalid.schema),
            )
        )
    if problems:
        raise DrgenError(problems)
    return _build(path, data)


_TOOL_TABLE = re.compile(r"^\[tool\.drgen\]\s*$", re.MULTILINE)
Locator = Callable[[list[str | int]], tuple[int | None, int | None]]


def _read_yaml(path: Path, text: str) -> tuple[Any, Locator]:
    import yaml  # only when a YAML config exists: keeps `drgen lint` startup short

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DrgenError(
            Problem(
                f"not valid YAML: {getattr(error, 'problem', None) or error}",
                file=str(path),
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                hint="fix the YAML syntax at this position",
            )
        ) from None
    return ({} if data is None else data), lambda json_path: _yaml_position(node, json_path)


def _yaml_position(
    node: yaml.Node | None, json_path: list[str | int]
) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the deepest node on ``json_path`` that exists."""
    import yaml

    if node is None:
        return 1, 1
    for step in json_path:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            child = node.value[step] if step < len(node.value) else None
        if child is None:
            break
        node = child
    return node.start_mark.line + 1, node.start_mark.column + 1


def _read_pyproject(path: Path, text: str) -> tuple[Any, Locator]:
    import tomllib

    try:
        data = tomllib.loads(text).get("tool", {}).get("drgen", {})
    except tomllib.TOMLDecodeError as error:
        raise DrgenError(
            Problem(f"not valid TOML: {error}", file=str(path), hint="fix the TOML syntax")
        ) from None
    header = _TOOL_TABLE.search(text)
    line = text.count("\n", 0, header.start()) + 1 if header else None
    return data, lambda json_path: (line, 1 if line else None)


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs

    schema = json.loads((data_dir("schemas") / "config.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _hint(validator: str, schema: dict[str, Any]) -> str:
    if validator == "additionalProperties" and "properties" in schema:
        return "allowed keys: " + ", ".join(sorted(schema["properties"]))
    if validator == "enum":
        return "use one of: " + ", ".join(str(v) for v in schema["enum"])
    if validator == "required":
        return "add the missing key"
    return str(schema.get("description") or "see schemas/config.schema.json")


def _build(path: Path, data: dict[str, Any]) -> Config:
    from drgen.spec.model import Objectives  # importing drgen.spec is slow; only when needed

    here = path.parent
    policies = data.get("policies", {})
    objectives = data.get("objectives")
    return Config(
        source=path,
        enable=frozenset(policies["enable"]) if "enable" in policies else None,
        skip=frozenset(policies.get("skip", ())),
        policies_dirs=tuple(here / d for d in policies.get("dirs", ())),
        severity_overrides={k: Severity(v) for k, v in sorted(data.get("severity", {}).items())},
        min_severity=Severity(data["min_severity"]) if "min_severity" in data else None,
        strict=data.get("strict"),
        objectives=Objectives(objectives["rpo"], objectives["rto"]) if objectives else None,
        spec=here / data["spec"] if "spec" in data else None,
        exclude=tuple(data.get("exclude", ())),
        baseline=here / data["baseline"] if "baseline" in data else None,
        render=tuple(
            RenderTarget(here / t["spec"], here / t["output"]) for t in data.get("render", ())
        ),
    )
