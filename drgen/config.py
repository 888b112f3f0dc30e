"""The lint configuration: `.drgen.yaml` or `[tool.drgen]` in pyproject.toml.

Found by walking up from the first linted path to the repository root (the folder with
`.git`): the nearest folder holding either wins; when one folder holds both, `.drgen.yaml`
wins and a warning says `[tool.drgen]` is ignored. Validated against
schemas/config.schema.json with located errors. Relative paths in the file are relative to
the file. Command-line flags win over everything here (drgen.lint.command merges them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drgen.domain import Severity
from drgen.errors import DrgenError, Problem

if TYPE_CHECKING:
    from drgen.spec.model import Objectives
    from drgen.yamldoc.source_map import SourceMap

CONFIG_NAME = ".drgen.yaml"


@dataclass(frozen=True)
class RenderTarget:
    spec: Path
    output: Path


@dataclass(frozen=True)
class Config:
    source: Path | None = None  # the file it came from; None for the empty default
    enable: tuple[str, ...] | None = None  # ids or wildcards (like --check); None: every policy
    skip: tuple[str, ...] = ()  # like --skip-check
    soft_fail: bool | None = None
    soft_fail_on: tuple[str, ...] = ()  # ids, wildcards or severities
    hard_fail_on: tuple[str, ...] = ()
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
        pyproject = candidate / "pyproject.toml"
        has_table = pyproject.is_file() and bool(
            _TOOL_TABLE.search(pyproject.read_text(encoding="utf-8", errors="replace"))
        )
        if (candidate / CONFIG_NAME).is_file():
            if has_table:
                _warn_shadowed(candidate / CONFIG_NAME, pyproject)
            return candidate / CONFIG_NAME
        if has_table:
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def _warn_shadowed(used: Path, ignored: Path) -> None:
    import sys

    print(
        f"drgen: warning: both {used.name} and [tool.drgen] in {ignored} configure drgen; "
        f"using {used} and ignoring [tool.drgen] (keep one of them)",
        file=sys.stderr,
    )


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether posix ``path`` or a folder above it matches an fnmatch pattern."""
    from fnmatch import fnmatchcase

    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatchcase(p, pattern) for p in prefixes for pattern in patterns)


def load_config(path: Path) -> Config:
    """Read and validate a config file; DrgenError lists every problem with its position."""
    from drgen.yamldoc.schema import schema_problems  # PyYAML and jsonschema load slowly

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise DrgenError(
            Problem(f"cannot read config: {reason}", file=str(path), hint="check the path")
        ) from None
    if path.name == "pyproject.toml":
        data, source_map = _read_pyproject(path, text)
    else:
        data, source_map = _read_yaml(path, text)
    problems = schema_problems(data, "config.schema.json", source_map)
    if problems:
        raise DrgenError(problems)
    return _build(path, data)


_TOOL_TABLE = re.compile(r"^\[tool\.drgen\]\s*$", re.MULTILINE)


def _read_yaml(path: Path, text: str) -> tuple[Any, SourceMap]:
    from drgen.yamldoc.reader import DocumentKind, load_located_yaml

    kind = DocumentKind(noun="configuration", described="a drgen configuration")
    data, source_map = load_located_yaml(str(path), text, kind)
    return ({} if data is None else data), source_map


def _read_pyproject(path: Path, text: str) -> tuple[Any, SourceMap]:
    """The [tool.drgen] table; every problem points at its header (the stdlib TOML reader
    keeps no positions), the JSON path says where inside it."""
    import tomllib

    from drgen.yamldoc.source_map import Position, SourceMap

    try:
        data = tomllib.loads(text).get("tool", {}).get("drgen", {})
    except tomllib.TOMLDecodeError as error:
        raise DrgenError(
            Problem(f"not valid TOML: {error}", file=str(path), hint="fix the TOML syntax")
        ) from None
    source_map = SourceMap(str(path))
    header = _TOOL_TABLE.search(text)
    if header:
        source_map.values[()] = Position(line=text.count("\n", 0, header.start()) + 1, column=1)
    return data, source_map


def _build(path: Path, data: dict[str, Any]) -> Config:
    from drgen.spec.model import Objectives  # importing drgen.spec is slow; only when needed

    here = path.parent
    policies = data.get("policies", {})
    objectives = data.get("objectives")
    return Config(
        source=path,
        enable=tuple(policies["enable"]) if "enable" in policies else None,
        skip=tuple(policies.get("skip", ())),
        soft_fail=data.get("soft_fail"),
        soft_fail_on=tuple(data.get("soft_fail_on", ())),
        hard_fail_on=tuple(data.get("hard_fail_on", ())),
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
