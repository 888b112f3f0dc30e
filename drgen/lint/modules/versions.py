"""Terraform version constraints (``>= 1.2, < 2.0``, ``~> 1.4``, ``!= 1.5.1``) on module
versions, and the newest version a constraint allows, as ``terraform init`` picks it."""

from __future__ import annotations

import re
from collections.abc import Iterable

_VERSION = re.compile(
    r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)
_CONSTRAINT = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$")
Version = tuple[int, int, int, str, int]  # major, minor, patch, prerelease, parts written


def parse_version(text: str) -> Version | None:
    match = _VERSION.match(text.strip())
    if match is None:
        return None
    written = sum(1 for g in match.groups()[:3] if g is not None)
    major, minor, patch = (int(g) if g is not None else 0 for g in match.groups()[:3])
    return major, minor, patch, match.group(4) or "", written


def newest_allowed(versions: Iterable[str], constraint: str) -> str | None:
    """The newest of ``versions`` that ``constraint`` allows ("" allows any); a prerelease
    only when the constraint names it exactly. None when none does, or the constraint does
    not parse."""
    rules: list[tuple[str, Version]] = []
    for part in (p for p in constraint.split(",") if p.strip()):
        match = _CONSTRAINT.match(part)
        bound = parse_version(match.group(2)) if match else None
        if match is None or bound is None:
            return None
        rules.append((match.group(1) or "=", bound))
    candidates = [(v, text) for text in versions if (v := parse_version(text)) is not None]
    allowed = [
        (v, text)
        for v, text in candidates
        if all(_allows(op, bound, v) for op, bound in rules)
        and (not v[3] or any(op == "=" and _key(bound) == _key(v) for op, bound in rules))
    ]
    return max(allowed, key=lambda item: _order(item[0]))[1] if allowed else None


def _key(version: Version) -> tuple[int, int, int, str]:
    return version[:4]


def _order(version: Version) -> tuple[int, int, int, int, str]:
    major, minor, patch, pre, _ = version
    return major, minor, patch, 0 if pre else 1, pre


def _allows(op: str, bound: Version, version: Version) -> bool:
    here, there = _order(version), _order(bound)
    if op == "=":
        return _key(version) == _key(bound)
    if op == "!=":
        return _key(version) != _key(bound)
    if op == ">":
        return here > there
    if op == ">=":
        return here >= there
    if op == "<":
        return here < there
    if op == "<=":
        return here <= there
    # ~>: at least the bound, below the next release of its second-to-last written part
    if here < there:
        return False
    major, minor, _patch, _pre, written = bound
    if written <= 2:
        return version[0] == major
    return version[0] == major and version[1] == minor
