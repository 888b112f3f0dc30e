"""Exemptions in the configuration: waive findings by address, type, name or tag.

``exemptions:`` in `.drgen.yaml` (or ``[tool.drgen]``) is a list of entries; an entry applies
to a resource when every selector it gives matches, and waives the findings of the policies
its ``rules`` name (ids or wildcards; every policy when absent). Like a ``drgen:ignore``
comment it needs a ``reason`` and may carry an ``until`` date, after which it waives nothing
and the finding says it expired. Waived findings are reported as suppressed, with the reason
and the entry's place in the configuration.

Patterns are globs: ``*`` is any run of characters, ``?`` one character, ``[abc]`` / ``[!abc]``
one of (or none of) the characters listed. In ``address`` a ``*`` or ``?`` stays inside one
part of the address (``module.*.aws_s3_bucket.logs*``) and ``**`` crosses parts
(``**.aws_s3_bucket.logs``). A pattern that is not a glob (an unclosed ``[``, ``***``) is a
configuration error.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from drgen.errors import DrgenError, Problem
from drgen.lint.model.roots import Resource

SELECTORS = ("address", "type", "name", "tag")


class GlobError(ValueError):
    """A pattern that is not a glob; the message says why."""


@dataclass(frozen=True)
class Exemption:
    reason: str
    where: str  # "file:line" of the entry, for reports
    address: str | None = None
    type: str | None = None
    name: str | None = None  # the resource's name in Terraform, or its literal cloud name
    tags: tuple[tuple[str, str], ...] = ()  # tag key -> value glob; every one must match
    rules: tuple[str, ...] = ()  # ids or wildcards as written; () = every policy
    until: date | None = None
    rule_ids: frozenset[str] | None = None  # ``rules`` against the loaded catalog; None = all

    def selects(self, resource: Resource) -> bool:
        """Whether every selector the entry gives matches ``resource``."""
        if self.address is not None and not glob_matches(self.address, resource.address, "."):
            return False
        if self.type is not None and not glob_matches(self.type, resource.type):
            return False
        if self.name is not None:
            names = {resource.name, _cloud_name(resource)} - {None}
            if not any(glob_matches(self.name, n) for n in names if n is not None):
                return False
        return all(
            key in resource.tags and glob_matches(value, resource.tags[key])
            for key, value in self.tags
        )

    def waives(self, rule_id: str) -> bool:
        return self.rule_ids is None or rule_id in self.rule_ids


def glob_matches(pattern: str, text: str, separator: str | None = None) -> bool:
    """``text`` matches the whole glob; with a ``separator``, ``*``, ``?`` and classes stay
    between two separators and ``**`` crosses them."""
    return compile_glob(pattern, separator).fullmatch(text) is not None


@cache
def compile_glob(pattern: str, separator: str | None = None) -> re.Pattern[str]:
    """The regular expression of a glob; GlobError when it is none."""
    if not pattern:
        raise GlobError("an empty pattern matches nothing")
    other = f"[^{re.escape(separator)}]" if separator else "."
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            stars = len(pattern) - i - len(pattern[i:].lstrip("*"))
            if stars > 2 or (stars == 2 and separator is None):
                allowed = "* or **" if separator else "*"
                raise GlobError(f"{'*' * stars} at position {i + 1}: use {allowed}")
            out.append(".*" if stars == 2 else f"{other}*")
            i += stars
        elif char == "?":
            out.append(other)
            i += 1
        elif char == "[":
            end, members = _class(pattern, i)
            negated = members.startswith("!")
            listed = re.escape(members[1:] if negated else members)
            if negated:
                out.append(f"[^{listed}{re.escape(separator) if separator else ''}]")
            else:
                out.append(f"[{listed}]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def _class(pattern: str, start: int) -> tuple[int, str]:
    """The index of the ``]`` closing the class opened at ``start``, and what it lists."""
    first = start + 1
    if pattern[first : first + 1] == "!":
        first += 1
    end = pattern.find("]", first + 1 if pattern[first : first + 1] == "]" else first)
    if end < 0:
        raise GlobError(f"the [ at position {start + 1} is never closed")
    return end, pattern[start + 1 : end]  # a ] first in the class is one of its characters


def _cloud_name(resource: Resource) -> str | None:
    """The literal name the resource has in AWS (bucket, table, identifier), when known."""
    from drgen.lint.topology.links import natural_id  # the model's modules: only when matching

    name = natural_id(resource)
    return name if name is not None and "${" not in name else None


def pattern_problem(entry: Mapping[str, Any]) -> tuple[tuple[str | int, ...], str] | None:
    """The first selector of a config entry that is not a glob: (path in the entry, why)."""
    for key in ("address", "type", "name"):
        if key in entry:
            try:
                compile_glob(entry[key], "." if key == "address" else None)
            except GlobError as error:
                return (key,), str(error)
    for key, value in entry.get("tag", {}).items():
        try:
            compile_glob(value)
        except GlobError as error:
            return ("tag", key), str(error)
    return None


def resolve_rules(exemptions: Sequence[Exemption], known: Collection[str]) -> list[Exemption]:
    """Each entry with its ``rules`` matched against the loaded policies; a pattern that names
    no policy is a usage error at the entry."""
    from difflib import get_close_matches

    resolved: list[Exemption] = []
    problems: list[Problem] = []
    for exemption in exemptions:
        if not exemption.rules:
            resolved.append(exemption)
            continue
        ids: set[str] = set()
        for pattern in exemption.rules:
            matched = {i for i in known if fnmatchcase(i, pattern.upper())}
            if not matched:
                close = get_close_matches(pattern.upper(), sorted(known), n=1, cutoff=0.6)
                file, _, line = exemption.where.rpartition(":")
                problems.append(
                    Problem(
                        f"exemption rules: {pattern!r} names no policy",
                        file=file or None,
                        line=int(line) if line.isdigit() else None,
                        hint=(f"did you mean {close[0]}? " if close else "")
                        + "(ids and wildcards like DR00* are accepted; see `drgen policies list`)",
                    )
                )
            ids |= matched
        resolved.append(replace(exemption, rule_ids=frozenset(ids)))
    if problems:
        raise DrgenError(problems)
    return resolved
