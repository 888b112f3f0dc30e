"""Load the policy catalog: built-in ``policies/DR*.yaml`` plus users' ``--policies-dir`` files.

Every file is validated against ``schemas/policy.schema.json``; a bad file becomes a located
``DrgenError`` (file:line:col, JSON path, fix) listing every problem in every file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from drgen.domain import Severity
from drgen.errors import DrgenError, Problem
from drgen.resources import data_dir

Literal = str | int | float | bool
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
_BUILTIN_NAME = re.compile(r"^DR[0-9]{3}-")
_FILE_NAME = re.compile(r"^(?P<id>[A-Z][A-Z0-9]*[0-9]{3})-[a-z0-9]+(?:-[a-z0-9]+)*\.ya?ml$")


@dataclass(frozen=True)
class Condition:
    """One test on a resource attribute; see the schema's ``condition`` description."""

    attribute: str
    test: str  # absent | present | equals | not_equals | in | not_in
    operand: Literal | tuple[Literal, ...] | None = None


@dataclass(frozen=True)
class Match:
    resource_types: tuple[str, ...]
    conditions: tuple[Condition, ...]
    message: str | None = None


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    severity: Severity
    rationale: str
    remediation: str
    failing_example: str
    passing_example: str
    source: Path
    check: str | None = None  # registry name, or None for a declarative ``match``
    match: Match | None = None
    builtin: bool = True
    summary: str = ""  # what it reports ("What it does"); "" when the file gives none


def load_policies(extra_dirs: Sequence[Path] = ()) -> list[Policy]:
    """Built-in policies plus every ``*.yaml`` in ``extra_dirs``, sorted by id."""
    files = [(path, True) for path in _policy_files(data_dir("policies"), builtin=True)]
    for directory in extra_dirs:
        if not directory.is_dir():
            raise DrgenError(
                Problem(
                    "policies directory does not exist",
                    file=str(directory),
                    hint="pass a folder holding policy YAML files to --policies-dir",
                )
            )
        files += [(path, False) for path in _policy_files(directory, builtin=False)]
    problems: list[Problem] = []
    policies: dict[str, Policy] = {}
    for path, builtin in files:
        policy = _load_file(path, builtin, problems)
        if policy is None:
            continue
        if policy.id in policies:
            problems.append(
                Problem(
                    f"policy id {policy.id} is already defined in {policies[policy.id].source}",
                    file=str(path),
                    line=1,
                    hint="give the policy its own id; to change a built-in's severity use a "
                    "severity override in the configuration",
                )
            )
            continue
        policies[policy.id] = policy
    if problems:
        raise DrgenError(problems)
    return [policies[key] for key in sorted(policies)]


@cache
def builtin_policy_ids() -> frozenset[str]:
    """Ids of the policies drgen ships (those with a page in docs/policies/), from file names."""
    files = _policy_files(data_dir("policies"), builtin=True)
    return frozenset(path.name.split("-", 1)[0] for path in files)


def _policy_files(directory: Path, *, builtin: bool) -> list[Path]:
    """Every YAML file of a user folder; built-ins share their folder with data files
    (objectives.yaml), so there only ``DRnnn-*.yaml`` are policies."""
    found = (p for p in directory.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    return sorted(p for p in found if not builtin or _BUILTIN_NAME.match(p.name))


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # no stubs

    schema = json.loads((data_dir("schemas") / "policy.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def _load_file(path: Path, builtin: bool, problems: list[Problem]) -> Policy | None:
    from drgen.lint.registry import CHECKS, ENGINE_CHECKS

    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        raw = yaml.load(text, Loader=_LOADER)
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(f"cannot read policy file: {error}", file=file))
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(
            Problem(
                f"not valid YAML: {getattr(error, 'problem', error)}",
                file=file,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            )
        )
        return None
    errors = sorted(_validator().iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    for invalid in errors:
        line, column = _position(text, list(invalid.absolute_path))
        problems.append(
            Problem(
                _schema_message(invalid),
                file=file,
                line=line,
                column=column,
                json_path=_json_path(list(invalid.absolute_path)),
                hint="see schemas/policy.schema.json for the policy file format",
            )
        )
    if errors:
        return None
    found = _FILE_NAME.match(path.name)
    if not found or found.group("id") != raw["id"]:
        line, column = _position(text, ["id"])
        problems.append(
            Problem(
                f"file name must start with the policy id {raw['id']}",
                file=file,
                line=line,
                column=column,
                json_path="$.id",
                hint=f"rename the file to {raw['id']}-<name-stating-the-problem>.yaml",
            )
        )
        return None
    check = raw.get("check")
    if check is not None and check not in CHECKS and check not in ENGINE_CHECKS:
        line, column = _position(text, ["check"])
        problems.append(
            Problem(
                f"unknown check {check!r}",
                file=file,
                line=line,
                column=column,
                json_path="$.check",
                hint="use one of: " + ", ".join(sorted(CHECKS)),
            )
        )
        return None
    return Policy(
        id=raw["id"],
        title=raw["title"].strip(),
        severity=Severity(raw["severity"]),
        rationale=raw["rationale"].strip(),
        remediation=raw["remediation"].strip(),
        failing_example=raw["examples"]["failing"],
        passing_example=raw["examples"]["passing"],
        source=path,
        check=check,
        match=_match(raw["match"]) if "match" in raw else None,
        builtin=builtin,
        summary=raw.get("summary", "").strip(),
    )


def _schema_message(error: Any) -> str:
    if error.validator == "oneOf" and not error.absolute_path:
        return "a policy needs exactly one of `check` (a registry check) or `match`"
    return str(error.message)


def _match(raw: dict[str, Any]) -> Match:
    conditions = []
    for item in raw["conditions"]:
        (test,) = (key for key in item if key != "attribute")
        operand = item[test]
        if test in ("absent", "present"):
            operand = None
        elif isinstance(operand, list):
            operand = tuple(operand)
        conditions.append(Condition(attribute=item["attribute"], test=test, operand=operand))
    return Match(
        resource_types=tuple(raw["resource_types"]),
        conditions=tuple(conditions),
        message=raw.get("message"),
    )


def _position(text: str, path: list[Any]) -> tuple[int | None, int | None]:
    """1-based line and column of the deepest YAML node on ``path`` that exists (composed
    only for a file with problems, to keep loading the catalog fast)."""
    node = yaml.compose(text, Loader=_LOADER)
    if node is None:
        return None, None
    for key in path:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1, node.start_mark.column + 1


def _json_path(path: list[Any]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
