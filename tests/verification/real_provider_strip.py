"""Cut a rendered root down to the part an older AWS provider can judge, from its own schema.

The tree is written for provider 6.x; the real provider on the development machines is 5.x.
Every resource or data source type, argument and nested block the tree uses is looked up in
the 5.x provider's schema (``terraform providers schema -json``): what the schema has is kept
and judged, what it lacks (6.x-only types, the per-resource ``region`` argument, arguments added
in 6.x) is cut, and so is every block or local that references a cut resource (it could not
resolve). Nothing here names a resource type or an argument: the schema decides.

Blocks are located with python-hcl2's Lark tree (character spans), so a cut removes exactly
the lines of one attribute or block of a ``terraform fmt``-canonical file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import hcl2
from lark import Token, Tree

# Terraform's own arguments and blocks of a resource or data block (not the provider's).
META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
KINDS = {"resource": "resource_schemas", "data": "data_source_schemas"}
REFERENCING = frozenset({"resource", "data", "output", "module", "check"})


@dataclass
class Tally:
    """How much of one root the provider judged, counted over resource and data blocks."""

    resources_judged: int = 0  # resource and data blocks kept
    resources_skipped: int = 0
    arguments_judged: int = 0  # attributes (at any depth) of the kept blocks
    arguments_skipped: int = 0  # cut attributes, and every attribute inside a cut block
    skipped: list[str] = field(default_factory=list)  # what was cut, with the reason
    blocks_cut: set[str] = field(default_factory=set)  # addresses of the cut resource/data blocks

    def add(self, other: Tally) -> None:
        self.resources_judged += other.resources_judged
        self.resources_skipped += other.resources_skipped
        self.arguments_judged += other.arguments_judged
        self.arguments_skipped += other.arguments_skipped
        self.skipped += other.skipped
        self.blocks_cut |= other.blocks_cut


@dataclass(frozen=True)
class HclNode:
    tree: Tree[Any]

    @property
    def name(self) -> str:
        first = self.tree.children[0]
        assert isinstance(first, Tree)
        return str(first.children[0])

    @property
    def labels(self) -> list[str]:
        labels = []
        for child in self.tree.children[1:]:
            if isinstance(child, Tree) and child.data == "string":
                labels.append("".join(_token_text(part) for part in child.children))
            elif isinstance(child, Tree) and child.data == "identifier":
                labels.append(str(child.children[0]))
        return labels

    @property
    def span(self) -> tuple[int, int]:
        return self.tree.meta.start_pos, self.tree.meta.end_pos

    def body(self) -> Iterator[HclNode]:
        for child in self.tree.children:
            if isinstance(child, Tree) and child.data == "body":
                for item in child.children:
                    if isinstance(item, Tree) and item.data in ("attribute", "block"):
                        yield HclNode(item)

    @property
    def is_block(self) -> bool:
        return self.tree.data == "block"

    def expression(self, text: str) -> str:
        """An attribute's value as written in ``text`` (the file it was parsed from)."""
        value = self.tree.children[-1]
        assert isinstance(value, Tree)
        return text[value.meta.start_pos : value.meta.end_pos]


def _token_text(part: Any) -> str:
    if isinstance(part, Tree):
        return "".join(str(token) for token in part.children)
    return "" if isinstance(part, Token) and part.type == "DBLQUOTE" else str(part)


def top_level(text: str) -> list[HclNode]:
    return list(_parsed(text))


@functools.lru_cache(maxsize=32)  # a root's files are read by the cut, then by its facts
def _parsed(text: str) -> tuple[HclNode, ...]:
    tree = hcl2.parses_to_tree(text)
    body = tree.children[0]
    assert isinstance(body, Tree)
    return tuple(
        HclNode(item) for item in body.children if isinstance(item, Tree) and item.data == "block"
    )


def _attributes(node: HclNode) -> int:
    """Attributes in a block at any depth (what a cut block takes with it)."""
    return sum(1 if not child.is_block else _attributes(child) for child in node.body())


@dataclass
class _Cutter:
    """Collects the spans to cut from one file and counts what stays."""

    where: str
    tally: Tally
    cuts: list[tuple[int, int]] = field(default_factory=list)

    def cut(self, node: HclNode, why: str, counted: bool = True) -> None:
        """Cut ``node``; ``counted``: its attributes are resource arguments."""
        self.cuts.append(node.span)
        if counted:
            self.tally.arguments_skipped += 1 if not node.is_block else _attributes(node)
        self.tally.skipped.append(f"{self.where}: {why}")

    def walk(self, node: HclNode, schema: Mapping[str, Any], path: str, top: bool) -> None:
        attributes = schema.get("attributes", {})
        blocks = schema.get("block_types", {})
        for child in node.body():
            name = child.name
            if not child.is_block:
                if top and name in META_ARGUMENTS:
                    continue
                if name in attributes:
                    self.tally.arguments_judged += 1
                else:
                    self.cut(child, f"{path}.{name} (argument not in the schema)")
            elif top and name in META_BLOCKS:
                continue
            elif name == "dynamic":
                self._walk_dynamic(child, blocks, path)
            elif name in blocks:
                self.walk(child, blocks[name]["block"], f"{path}.{name}", top=False)
            else:
                self.cut(child, f"{path}.{name} (block not in the schema)")

    def _walk_dynamic(self, node: HclNode, blocks: Mapping[str, Any], path: str) -> None:
        name = node.labels[0]
        if name not in blocks:
            self.cut(node, f"{path}.{name} (dynamic block not in the schema)")
            return
        for child in node.body():  # for_each, iterator and labels belong to Terraform
            if child.is_block and child.name == "content":
                self.walk(child, blocks[name]["block"], f"{path}.{name}", top=False)


def _address(kind: str, labels: list[str]) -> str:
    return f"data.{labels[0]}.{labels[1]}" if kind == "data" else f"{labels[0]}.{labels[1]}"


def _references(address: str) -> re.Pattern[str]:
    """A reference to ``address`` in expression text (a resource is not a data source)."""
    guard = r"(?<![\w.])" if not address.startswith("data.") else r"(?<![\w])"
    return re.compile(guard + re.escape(address) + r"(?![\w-])")


def _apply(text: str, cuts: list[tuple[int, int]]) -> str:
    """Remove whole lines: from the start of each cut's first line to the end of its last."""
    for start, end in sorted(cuts, reverse=True):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        text = text[:line_start] + text[line_end + 1 if line_end != -1 else len(text) :]
    return text


def strip_root(
    files: Mapping[str, str], provider: Mapping[str, Any], version: str
) -> tuple[dict[str, str], Tally]:
    """``files`` are one root's ``.tf`` texts by name; ``provider`` is the provider's entry of
    ``terraform providers schema -json``. Returns the cut files (the ``aws`` constraint set to
    exactly ``version``, no ``provider`` block: whoever runs the root configures it) and the
    tally."""
    tally = Tally()
    texts = dict(files)
    removed: set[str] = set()
    pending: dict[str, list[tuple[int, int]]] = {}
    for file, text in texts.items():
        cutter = _Cutter(file, tally)
        for block in top_level(text):
            if block.name in KINDS:
                types = provider[KINDS[block.name]]
                address = _address(block.name, block.labels)
                if block.labels[0] not in types:
                    cutter.cut(block, f"{address} (type not in the schema)")
                    tally.resources_skipped += 1
                    removed.add(address)
                    tally.blocks_cut.add(address)
                    continue
                tally.resources_judged += 1
                cutter.walk(block, types[block.labels[0]]["block"], address, top=True)
            elif block.name == "provider":
                cutter.cuts.append(block.span)  # the harness configures the provider
        pending[file] = cutter.cuts
    texts = {file: _apply(text, pending[file]) for file, text in texts.items()}
    while removed:
        texts, removed = _cut_referrers(texts, removed, tally)
    return {file: _pin(text, version) for file, text in texts.items()}, tally


def _cut_referrers(
    texts: dict[str, str], removed: set[str], tally: Tally
) -> tuple[dict[str, str], set[str]]:
    """Cut every block (or local) that references a removed address; return what it removed."""
    patterns = [_references(address) for address in sorted(removed)]
    newly: set[str] = set()
    out = {}
    for file, text in texts.items():
        cutter = _Cutter(file, tally)
        for block in top_level(text):
            if block.name not in REFERENCING | {"locals"}:
                continue
            for node in list(block.body()) if block.name == "locals" else [block]:
                source = text[node.span[0] : node.span[1]]
                if not any(pattern.search(source) for pattern in patterns):
                    continue
                if block.name == "locals":
                    label = f"local.{node.name}"
                elif block.name in KINDS:
                    label = _address(block.name, block.labels)
                    tally.resources_judged -= 1
                    tally.resources_skipped += 1
                    tally.arguments_judged -= _attributes(block)
                    tally.blocks_cut.add(label)
                else:
                    label = ".".join([block.name, *block.labels])
                cutter.cut(node, f"{label} (references a cut block)", block.name in KINDS)
                if block.name != "output":
                    newly.add(label)
        out[file] = _apply(text, cutter.cuts)
    return out, newly


_CONSTRAINT = re.compile(
    r'(required_providers\s*\{.*?\baws\s*=\s*\{[^}]*?\bversion\s*=\s*)"[^"]*"', re.S
)


def _pin(text: str, version: str) -> str:
    return _CONSTRAINT.sub(lambda match: f'{match.group(1)}"{version}"', text)
