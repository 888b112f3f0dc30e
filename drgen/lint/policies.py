"""Load the policy catalog: built-in ``policies/DR*.yaml`` plus users' ``--policies-dir`` files.

Every file is validated against ``schemas/policy.schema.json``; a bad file becomes a located
``DrgenError`` (file:line:col, JSON path, fix) listing every problem in every file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from drgen.domain import Severity
from drgen.errors import DrgenError, Problem
from drgen.resources import data_dir
from drgen.yamldoc.reader import DocumentKind, load_located_yaml
from drgen.yamldoc.schema import schema_problems

Literal = str | int | float | bool
POLICY_FILE = DocumentKind(noun="policy", described="a policy file")
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


def _load_file(path: Path, builtin: bool, problems: list[Problem]) -> Policy | None:
    from drgen.lint.registry import CHECKS, ENGINE_CHECKS

    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(f"cannot read policy file: {error}", file=file))
        return None
    try:
        raw, source_map = load_located_yaml(file, text, POLICY_FILE)
    except DrgenError as error:
        problems.extend(error.problems)
        return None
    schema_errors = schema_problems(raw, "policy.schema.json", source_map)
    if schema_errors:
        problems.extend(schema_errors)
        return None
    found = _FILE_NAME.match(path.name)
    if not found or found.group("id") != raw["id"]:
        problems.append(
            source_map.problem(
                f"file name must start with the policy id {raw['id']}",
                ("id",),
                f"rename the file to {raw['id']}-<name-stating-the-problem>.yaml",
            )
        )
        return None
    check = raw.get("check")
    if check is not None and check not in CHECKS and check not in ENGINE_CHECKS:
        problems.append(
            source_map.problem(
                f"unknown check {check!r}", ("check",), "use one of: " + ", ".join(sorted(CHECKS))
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
