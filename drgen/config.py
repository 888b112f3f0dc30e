"""The lint configuration: `.drgen.yaml` or `[tool.drgen]` in pyproject.toml.

Found by walking up from the first linted path to the repository root (the folder with
`.git`): the nearest folder holding either wins; when one folder holds both, `.drgen.yaml`
wins and a warning says `[tool.drgen]` is ignored. Validated against
schemas/config.schema.json with located errors. Relative paths in the file are relative to
the file. Command-line flags win over everything here (drgen.lint.cli.lint_command merges them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drgen.domain import Severity
from drgen.errors import DrgenError, Problem

if TYPE_CHECKING:
    from drgen.lint.engine.exemptions import Exemption
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
    exemptions: tuple[Exemption, ...] = ()
    retention_floor_days: int | None = None  # DR038's floor; None: the default

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
        if (candidate / CONFIG_NAME).is_file():
            if pyproject.is_file() and _configures_drgen(pyproject, broken_is_error=False):
                _warn_shadowed(candidate / CONFIG_NAME, pyproject)
            return candidate / CONFIG_NAME
        if pyproject.is_file() and _configures_drgen(pyproject):
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def _configures_drgen(pyproject: Path, *, broken_is_error: bool = True) -> bool:
    """Whether the file holds ``[tool.drgen]``; a file drgen cannot read or parse raises
    DrgenError (it may hold the settings) unless a .drgen.yaml beside it wins anyway."""
    try:
        return "drgen" in _tool_tables(pyproject, _read(pyproject))
    except DrgenError:
        if broken_is_error:
            raise
        return False


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

    text = _read(path)
    if path.name == "pyproject.toml":
        data, source_map = _read_pyproject(path, text)
    else:
        data, source_map = _read_yaml(path, text)
    data = _dates_as_text(data)
    problems = schema_problems(data, "config.schema.json", source_map)
    problems += _exemption_problems(data, source_map)
    if problems:
        raise DrgenError(problems)
    return replace(_build(path, data), exemptions=_exemptions(path, data, source_map))


def _dates_as_text(data: Any) -> Any:
    """``until: 2027-03-31`` unquoted is a date to YAML and TOML: read it as the text it is."""
    import datetime

    if not isinstance(data, dict) or not isinstance(data.get("exemptions"), list):
        return data
    entries = [
        {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in e.items()}
        if isinstance(e, dict)
        else e
        for e in data["exemptions"]
    ]
    return {**data, "exemptions": entries}


def _exemption_problems(data: Any, source_map: SourceMap) -> list[Problem]:
    """What the schema cannot say about a schema-valid entry: globs that are none, dates that
    do not exist (both located at the value)."""
    from datetime import date

    from drgen.lint.engine.exemptions import pattern_problem

    if not isinstance(data, dict) or not isinstance(data.get("exemptions"), list):
        return []
    problems: list[Problem] = []
    for index, entry in enumerate(data["exemptions"]):
        if not isinstance(entry, dict):
            continue
        found = pattern_problem(entry)
        if found is not None:
            path, why = found
            problems.append(
                source_map.problem(
                    f"not a glob: {why}",
                    ("exemptions", index, *path),
                    "globs use *, ** (addresses only), ? and closed [classes]",
                )
            )
        until = entry.get("until")
        if isinstance(until, str):
            try:
                date.fromisoformat(until)
            except ValueError:
                problems.append(
                    source_map.problem(
                        f"{until!r} is not a date",
                        ("exemptions", index, "until"),
                        "write the last day the exemption applies as YYYY-MM-DD",
                    )
                )
    return problems


def _exemptions(path: Path, data: dict[str, Any], source_map: SourceMap) -> tuple[Exemption, ...]:
    from datetime import date

    from drgen.lint.engine.exemptions import Exemption

    found = []
    for index, entry in enumerate(data.get("exemptions", ())):
        position = source_map.locate(("exemptions", index))
        until = entry.get("until")
        found.append(
            Exemption(
                reason=" ".join(entry["reason"].split()),
                where=f"{path.as_posix()}:{position.line if position else 1}",
                address=entry.get("address"),
                type=entry.get("type"),
                name=entry.get("name"),
                tags=tuple(sorted(entry.get("tag", {}).items())),
                rules=tuple(entry.get("rules", ())),
                until=date.fromisoformat(until) if until else None,
            )
        )
    return tuple(found)


# Only to point messages at the header: the table itself is read by tomllib. Linear (no
# nested repetition), and it allows what TOML allows: spaces, a quoted "drgen", a comment.
_TOOL_HEADER = re.compile(
    r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*(?:drgen|\"drgen\"|'drgen')[ \t]*\]", re.M
)


def _read(path: Path) -> str:
    from drgen.bounded_read import read_text_or_fail
    from drgen.yamldoc.reader import MAX_BYTES

    return read_text_or_fail(path, MAX_BYTES, what="config", hint="check the path")


def _tool_tables(path: Path, text: str) -> dict[str, Any]:
    """The ``[tool]`` table of a pyproject.toml; DrgenError when it is not valid TOML (drgen
    cannot tell whether it is configured there)."""
    import tomllib

    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError as error:
        raise DrgenError(
            Problem(
                f"not valid TOML, so drgen cannot tell whether it holds [tool.drgen]: {error}",
                file=str(path),
                hint="fix the TOML syntax, or put a .drgen.yaml beside it (that is read first)",
            )
        ) from None
    return tool if isinstance(tool, dict) else {}


def _read_yaml(path: Path, text: str) -> tuple[Any, SourceMap]:
    from drgen.yamldoc.reader import DocumentKind, load_located_yaml

    kind = DocumentKind(noun="configuration", described="a drgen configuration")
    data, source_map = load_located_yaml(str(path), text, kind)
    return ({} if data is None else data), source_map


def _read_pyproject(path: Path, text: str) -> tuple[Any, SourceMap]:
    """The [tool.drgen] table; every problem points at its header (the stdlib TOML reader
    keeps no positions), the JSON path says where inside it."""
    from drgen.yamldoc.source_map import Position, SourceMap

    data = _tool_tables(path, text).get("drgen", {})
    source_map = SourceMap(str(path))
    header = _TOOL_HEADER.search(text)
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
        retention_floor_days=data.get("retention_floor_days"),
        baseline=here / data["baseline"] if "baseline" in data else None,
        render=tuple(
            RenderTarget(here / t["spec"], here / t["output"]) for t in data.get("render", ())
        ),
    )
