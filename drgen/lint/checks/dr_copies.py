"""Which buckets, databases and tables are meant to be a DR copy (the recovery side's data).

A resource is a DR copy when it does not sit where the stack serves from (a location holding
the sources of its cross-region copies, drgen/lint/checks/sides.py) and either

- its names (bucket/identifier/table name, resource and module call names, provider alias,
  tag values) carry a DR word (dr, replica, secondary, standby, failover, recovery, disaster)
  that no resource of the same kinds in another location carries (so a project called
  ``aws-dr-project`` marks nothing), and it sits on the recovery side of the stack or has a
  counterpart; or
- it sits on the recovery side and has a counterpart in a region that only serves.

A counterpart is a resource of the same type in another location whose name has the same
stem: its natural id (or, when either is unknown, its address) without DR words, serving
words (primary, main, source, active) and region names, so ``orders-primary`` in us-east-1
and ``orders-dr`` in us-west-2 are one pair. The answer is two-valued: it rests on names and
locations drgen always has (an unknown region counts as the provider configuration).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from drgen.lint.checks.dynamodb import TABLE
from drgen.lint.checks.rds import CLUSTER, INSTANCE
from drgen.lint.checks.s3 import BUCKET
from drgen.lint.checks.sides import Sides, location, sides
from drgen.lint.model.roots import Resource, Root
from drgen.lint.topology.links import natural_id

KINDS = (BUCKET, INSTANCE, CLUSTER, TABLE)
DR_WORDS = frozenset({"dr", "replica", "secondary", "standby", "failover", "recovery", "disaster"})
_SERVING_WORDS = frozenset({"primary", "main", "source", "src", "active"})
_REGION = re.compile(r"[a-z]{2}(?:-gov)?-[a-z]+-[0-9]")
_WORD = re.compile(r"[a-z0-9]+")


def dr_copy_evidence(root: Root, resource: Resource) -> str:
    """Why ``resource`` is a DR copy ("" when it is not one, or not of ``KINDS``)."""
    size = len(root.resources)
    cached = root.memo.get("dr-copies")
    if cached is None or cached[0] != size:
        cached = root.memo["dr-copies"] = (size, _all_evidence(root))
    found = cached[1]
    assert isinstance(found, dict)
    evidence = found.get(id(resource), "")
    assert isinstance(evidence, str)
    return evidence


def _all_evidence(root: Root) -> dict[int, str]:
    """One derivation per root: the evidence of every resource of ``KINDS`` it reports on."""
    topology = sides(root)
    everyone = root.linked_of_type(*KINDS)
    stems = {id(r): _stems(r) for r in everyone}
    words_at: dict[str, set[str]] = {}
    for other in everyone:
        words_at.setdefault(location(other), set()).update(_words(other))
    found: dict[int, str] = {}
    for resource in root.of_type(*KINDS):
        here = location(resource)
        if here in topology.sources:
            continue  # it serves (or is copied from): not an empty copy
        elsewhere = set().union(*(w for at, w in words_at.items() if at != here))
        pairs = [
            other
            for other in everyone
            if other.type == resource.type
            and location(other) != here
            and _same_stem(stems[id(resource)], stems[id(other)])
        ]
        evidence = _evidence(resource, topology, set(_words(resource)) - elsewhere, pairs)
        if evidence:
            found[id(resource)] = evidence
    return found


def _evidence(
    resource: Resource, topology: Sides, own_words: set[str], pairs: list[Resource]
) -> str:
    """Why a resource outside the serving side is a DR copy, from its DR words no resource
    elsewhere has and its counterparts ("" when it is none)."""
    here = location(resource)
    distinct = sorted(DR_WORDS & own_words)
    recovery = here in topology.copies
    serving = [p for p in pairs if location(p) in topology.primary]
    side = "it is on the recovery side of the stack"
    if distinct and (recovery or pairs):
        named = f"its names say {', '.join(distinct)}"
        if recovery:
            return f"{named} and {side}"
        return f"{named} and {pairs[0].address} ({location(pairs[0])}) has its name"
    if recovery and serving:
        return f"{side} and {serving[0].address} ({location(serving[0])}) has its name"
    return ""


def _words(resource: Resource) -> Iterator[str]:
    """Words of every name a user gave the resource (not its type)."""
    names = [resource.name, *resource.module_path, *resource.tags.values()]
    name = natural_id(resource)
    if name:
        names.append(_REGION.sub(" ", name.lower()))
    alias = resource.provider.partition(".")[2]
    if alias:
        names.append(alias)
    for text in names:
        yield from _WORD.findall(text.lower())


def _stems(resource: Resource) -> tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]]:
    """(stem of the natural id or None when unknown, stems of the address's name segments)."""
    name = natural_id(resource)
    named = _stem(_REGION.sub(" ", name.lower())) if name else None
    return named, tuple(_stem(part) for part in (*resource.module_path, resource.name))


def _stem(text: str) -> tuple[str, ...]:
    return tuple(
        w for w in _WORD.findall(text.lower()) if w not in DR_WORDS and w not in _SERVING_WORDS
    )


def _same_stem(
    one: tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]],
    other: tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]],
) -> bool:
    if one[0] is not None and other[0] is not None:
        return one[0] == other[0]
    return one[1] == other[1]
