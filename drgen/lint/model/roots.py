"""The analysed Terraform: roots, resources with regions, and references between them.

Values are plain Python where the HCL is literal (str, int, float, bool, None, list,
dict) and an ``Expression`` where it is not. A fact drgen cannot establish is
``None`` (for regions) or absent, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TypeAlias


@dataclass(frozen=True)
class Expression:
    """An HCL expression that is not a plain literal."""

    source: str  # the expression text as written, e.g. "aws_s3_bucket.dr.arn"
    references: tuple[str, ...] = ()  # traversals it mentions, e.g. ("aws_s3_bucket.dr.arn",)
    # A string whose only unknown parts are the same in every root of one account, written
    # with placeholders: "app-dr-${account}" for "app-dr-${data.aws_caller_identity.me.account_id}"
    # (see drgen/lint/evaluation/shapes.py); "" when the value is no such string.
    shape: str = ""


Value: TypeAlias = "str | int | float | bool | list[Value] | dict[str, Value] | Expression | None"


@dataclass
class Block:
    """A block body: ``resource``, ``rule``, ``destination`` ... and its nested blocks."""

    type: str
    labels: tuple[str, ...]
    attributes: dict[str, Value]
    blocks: list[Block]
    line: int  # 1-based line of the block header
    end_line: int
    attribute_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str, default: Value = None) -> Value:
        return self.attributes.get(name, default)

    def blocks_named(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]

    def first(self, block_type: str) -> Block | None:
        found = self.blocks_named(block_type)
        return found[0] if found else None

    def line_of(self, name: str) -> int:
        """Line of an attribute or nested block, falling back to the block header."""
        if name in self.attribute_lines:
            return self.attribute_lines[name]
        nested = self.first(name)
        return nested.line if nested else self.line


@dataclass(frozen=True)
class Suppression:
    """``# drgen:ignore[DR010,DR001] until=2027-03-31 reason`` attached to a block."""

    rule_ids: tuple[str, ...]
    reason: str  # "" when none was given (itself a DR000 finding)
    file: str
    line: int
    until: date | None = None
    # why the comment could not be read fully, e.g. an ``until=`` that is not a date
    # (then ``until`` is None and the raw text stays in ``reason``); "" when fine
    problem: str = ""


@dataclass
class Resource:
    mode: str  # "managed" or "data"
    type: str  # "aws_s3_bucket"
    name: str  # "assets"
    module_path: tuple[str, ...]  # module call names from the root, () in the root itself
    body: Block
    file: str  # posix path relative to the scanned base
    region: str | None  # resolved region, None when it cannot be resolved
    provider: str = "aws"  # provider config address: "aws" or "aws.west"
    tags: dict[str, str] = field(default_factory=dict)  # literal tags incl. provider default_tags
    expanded: bool = False  # has count/for_each (one node stands for all instances)
    suppressions: tuple[Suppression, ...] = ()
    # ``body`` with every value drgen can know evaluated in the module instance's scope
    # (var/local, defaults and tfvars, conditionals, templates): ``multi_az = var.multi_az``
    # reads True here when the variable is. Unknowable values keep their Expression.
    # None when not computed (hand-built models); use ``values`` to read either.
    evaluated: Block | None = None

    @property
    def values(self) -> Block:
        """The evaluated body when available, else the body as written."""
        return self.evaluated if self.evaluated is not None else self.body

    @property
    def line(self) -> int:
        return self.body.line

    @cached_property
    def address(self) -> str:  # read millions of times by checks; the fields never change
        prefix = "".join(f"module.{m}." for m in self.module_path)
        local = (
            f"{self.type}.{self.name}"
            if self.mode == "managed"
            else f"data.{self.type}.{self.name}"
        )
        return prefix + local


@dataclass(frozen=True)
class CallSite:
    """A ``module`` block as instantiated: where it is written and what it passes."""

    file: str
    line: int
    arguments: dict[str, Value]  # the block's attributes as written (source, count, inputs...)
    locals: dict[str, Value]  # the called module's locals, as written


@dataclass(frozen=True)
class Incomplete:
    """Where drgen stopped analysing part of a root because a budget ran out (DR009 under
    ``--strict``): what lies beyond it is UNKNOWN, not assumed."""

    file: str
    line: int
    message: str  # what ran out and what that leaves unknown
    address: str = ""  # the resource or module call it happened at


@dataclass
class Root:
    """A root module (a directory nobody analysed calls) with every resource it instantiates."""

    directory: str  # posix path relative to the scanned base, "." for the base itself
    resources: list[Resource] = field(default_factory=list)
    # address -> addresses it refers to (directly, in interpolations, lists, nested blocks)
    references: dict[str, set[str]] = field(default_factory=dict)
    # root output name -> addresses of the resources its value refers to
    outputs: dict[str, set[str]] = field(default_factory=dict)
    # ``terraform { backend "<type>" {...} }`` of the root: (type, literal settings)
    backend: tuple[str, dict[str, str]] | None = None
    backend_at: tuple[str, int] | None = None  # (file, line) of the backend block
    # buckets any scanned root keeps Terraform state in (its backend or a remote state)
    state_buckets: frozenset[str] = frozenset()
    # roots this one is linked with (by names, ARNs or remote state) into one DR topology
    peers: list[Root] = field(default_factory=list, repr=False, compare=False)
    # every root scanned with this one, itself included (the repository): for facts that span
    # roots nothing links, like DNS records kept in a root of their own; empty when hand-built
    repository: list[Root] = field(default_factory=list, repr=False, compare=False)
    # address of a ``terraform_remote_state`` data source -> the root it reads (None: unknown)
    remote_states: dict[str, Root | None] = field(default_factory=dict, repr=False, compare=False)
    incomplete: list[Incomplete] = field(default_factory=list)
    # module path from the root ("a", "b") -> the module block instantiating it
    calls: dict[tuple[str, ...], CallSite] = field(default_factory=dict, repr=False, compare=False)
    # module calls of this root drgen did not analyse: "root:module.x (registry source)"
    not_analysed: list[str] = field(default_factory=list)
    _index: dict[str, Resource] = field(default_factory=dict, repr=False, compare=False)
    # managed resources by type, in model order, each with its position (see of_type)
    _by_type: dict[str, list[tuple[int, Resource]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _typed: int = field(default=-1, repr=False, compare=False)  # len(resources) it indexed
    # address -> resources referring to it, and what the index was built from (see referrers)
    _referrers: dict[str, list[Resource]] = field(default_factory=dict, repr=False, compare=False)
    _referrers_of: tuple[int, int, int] = field(default=(0, -1, -1), repr=False, compare=False)
    # facts a check derives once per root, by name: (len(resources) when derived, the fact)
    memo: dict[str, tuple[int, object]] = field(default_factory=dict, repr=False, compare=False)

    def by_address(self, address: str) -> Resource | None:
        if len(self._index) != len(self.resources):
            self._index = {r.address: r for r in self.resources}
        return self._index.get(address)

    def of_type(self, *types: str) -> list[Resource]:
        """Managed resources of the given types in model order (an index: checks call it often)."""
        if self._typed != len(self.resources):
            self._by_type = {}
            for position, resource in enumerate(self.resources):
                if resource.mode == "managed":
                    self._by_type.setdefault(resource.type, []).append((position, resource))
            self._typed = len(self.resources)
        if len(types) == 1:
            return [r for _, r in self._by_type.get(types[0], ())]
        found = [entry for t in dict.fromkeys(types) for entry in self._by_type.get(t, ())]
        return [r for _, r in sorted(found, key=lambda entry: entry[0])]

    def linked_of_type(self, *types: str) -> list[Resource]:
        """Managed resources of the given types here and in every linked root (to look up
        what a value points at; checks report only on ``of_type``)."""
        found = self.of_type(*types)
        for peer in self.peers:
            found.extend(peer.of_type(*types))
        return found

    def home(self, resource: Resource) -> Root:
        """The root (this one or a linked one) that declares ``resource``."""
        for root in (self, *self.peers):
            if root.by_address(resource.address) is resource:
                return root
        return self

    def referenced_by(self, resource: Resource) -> list[Resource]:
        """Resources that ``resource`` refers to."""
        found = (self.by_address(a) for a in sorted(self.references.get(resource.address, ())))
        return [r for r in found if r is not None]

    def referrers(self, resource: Resource, *types: str) -> list[Resource]:
        """Resources (optionally of the given types) that refer to ``resource``, in model order
        (a reverse index of ``references``, rebuilt when the graph or the resources change)."""
        built_from = (id(self.references), len(self.references), len(self.resources))
        if self._referrers_of != built_from:
            index: dict[str, list[Resource]] = {}
            for referrer in self.resources:
                for target in self.references.get(referrer.address, ()):
                    index.setdefault(target, []).append(referrer)
            self._referrers, self._referrers_of = index, built_from
        found = self._referrers.get(resource.address, ())
        return [r for r in found if not types or r.type in types]


@dataclass
class Project:
    base: str  # the scanned path as given
    roots: list[Root] = field(default_factory=list)
    files_scanned: int = 0
    not_analysed: list[str] = field(default_factory=list)  # "root:module.x (registry source)"
    # drgen:ignore comments that sit above or inside no resource block (reported as DR000)
    unattached_suppressions: list[Suppression] = field(default_factory=list)
