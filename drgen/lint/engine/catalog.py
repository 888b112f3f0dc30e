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

from drgen.bounded_read import read_text_or_fail
from drgen.domain import Severity
from drgen.errors import DrgenError, Problem
from drgen.resources import data_dir
from drgen.yamldoc.reader import MAX_BYTES, DocumentKind, load_located_yaml
from drgen.yamldoc.schema import schema_problems

Literal = str | int | float | bool
POLICY_FILE = DocumentKind(noun="policy", described="a policy file")
_BUILTIN_NAME = re.compile(r"^DR[0-9]{3}-")
_FILE_NAME = re.compile(r"^(?P<id>[A-Z][A-Z0-9]*[0-9]{3})-[a-z0-9]+(?:-[a-z0-9]+)*\.ya?ml$")


COMPARISONS = ("less_than", "at_most", "greater_than", "at_least")
PATTERN_TESTS = ("matches", "not_matches")
QUANTIFIERS = ("any", "all", "referenced", "referenced_by", "not")


@dataclass(frozen=True)
class Condition:
    """One test on a resource; see the schema's ``condition`` description.

    Attribute tests read ``attribute``; a quantifier (``any``/``all`` over the nested blocks
    at ``attribute``, ``referenced``/``referenced_by`` resources of ``resource_types`` through
    ``attribute``) holds when its own ``conditions`` hold there.
    """

    attribute: str
    test: str  # absent | present | equals | not_equals | in | not_in | COMPARISONS | ...
    operand: Literal | tuple[Literal, ...] | None = None
    resource_types: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()


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
    from drgen.lint.engine.registry import CHECKS, ENGINE_CHECKS

    file = str(path)
    try:
        text = read_text_or_fail(path, MAX_BYTES, what="policy file", hint="check the path")
    except DrgenError as error:
        problems.extend(error.problems)
        return None
    text = text.removeprefix("\ufeff")
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
    bad = _bad_patterns(raw.get("match", {}).get("conditions"), ("match", "conditions"))
    if bad:
        problems.extend(
            source_map.problem(f"not a valid regular expression: {error}", where, "fix the regex")
            for where, error in bad
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
    return Match(
        resource_types=tuple(raw["resource_types"]),
        conditions=tuple(_condition(item) for item in raw["conditions"]),
        message=raw.get("message"),
    )


def _condition(item: dict[str, Any]) -> Condition:
    if "not" in item:
        return Condition(attribute="", test="not", conditions=tuple(map(_condition, item["not"])))
    quantifier = next((q for q in QUANTIFIERS if q in item), None)
    if quantifier is not None:
        return Condition(
            attribute=item[quantifier],
            test=quantifier,
            resource_types=tuple(item.get("resource_types", ())),
            conditions=tuple(_condition(c) for c in item["conditions"]),
        )
    (test,) = (key for key in item if key != "attribute")
    operand = item[test]
    if test in ("absent", "present"):
        operand = None
    elif isinstance(operand, list):
        operand = tuple(operand)
    return Condition(attribute=item["attribute"], test=test, operand=operand)


def _bad_patterns(raw: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """(JSON path, error) for every ``matches``/``not_matches`` that is not a valid regex."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    for index, item in enumerate(raw if isinstance(raw, list) else ()):
        for test in PATTERN_TESTS:
            if isinstance(item.get(test), str):
                try:
                    re.compile(item[test])
                except re.error as error:
                    found.append(((*path, index, test), str(error)))
        for nested in ("conditions", "not"):
            if isinstance(item.get(nested), list):
                found += _bad_patterns(item[nested], (*path, index, nested))
    return found
