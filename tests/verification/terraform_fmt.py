"""What `terraform fmt` rewrites beyond hclwrite.Format (the part @cdktf/hcl-tools runs).

Terraform's fmt command (internal/command/fmt.go) also unwraps an attribute value that is a
single interpolation (``"${var.x}"`` becomes ``var.x``), normalises a variable's ``type``
(``list`` becomes ``list(any)``, the legacy ``"string"`` becomes ``string``) and writes every
block label quoted. python-hcl2 keeps the source form of each value, which shows all three.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hcl2

BARE_COLLECTION_TYPES = frozenset({"list", "map", "set"})
LEGACY_QUOTED_TYPES = frozenset({'"string"', '"list"', '"map"'})


def fmt_rewrites(text: str) -> list[str]:
    """One line per place where `terraform fmt` would change ``text``."""
    rewrites: list[str] = []
    for block_type, value in hcl2.loads(text).items():
        for labels, body in _blocks(value):
            where = " ".join((block_type, *labels))
            rewrites += _check_labels(where, labels)
            rewrites += _check_body(where, body, is_variable=block_type == "variable")
    return rewrites


def _blocks(value: Any, labels: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Blocks found in a python-hcl2 value, with the labels met on the way down."""
    if isinstance(value, dict):
        if value.get("__is_block__"):
            yield labels, value
            return
        for key, item in value.items():
            yield from _blocks(item, (*labels, key))
    elif isinstance(value, list):
        for item in value:
            yield from _blocks(item, labels)


def _check_labels(where: str, labels: tuple[str, ...]) -> list[str]:
    return [
        f"{where}: label {label} would be quoted"
        for label in labels
        if not (len(label) >= 2 and label[0] == label[-1] == '"')
    ]


def _check_body(where: str, body: dict[str, Any], is_variable: bool) -> list[str]:
    rewrites = []
    for name, value in body.items():
        if name.startswith("__"):
            continue
        if isinstance(value, str):
            if (
                is_variable
                and name == "type"
                and value in BARE_COLLECTION_TYPES | LEGACY_QUOTED_TYPES
            ):
                rewrites.append(f"{where}: type = {value} would be normalised")
            elif is_interpolation_only(value):
                rewrites.append(f"{where}: {name} = {value} would be unwrapped")
            continue
        for labels, nested in _blocks(value):  # nested blocks; object values are left alone
            nested_where = " ".join((where, name, *labels))
            rewrites += _check_labels(nested_where, labels)
            rewrites += _check_body(nested_where, nested, is_variable=False)
    return rewrites


def is_interpolation_only(source: str) -> bool:
    """``"${x}"`` with nothing else at the outer level (nested quoted templates are fine)."""
    if not (source.startswith('"${') and source.endswith('}"')):
        return False
    depth, in_quote, index, inner = 0, False, 0, source[3:-2]
    while index < len(inner):
        char = inner[index]
        if in_quote:
            if char == "\\":
                index += 1
            elif char == '"':
                in_quote = False
        elif char == '"':
            in_quote = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return False  # the first interpolation ends early: "${a}${b}" or "${a}-b"
            depth -= 1
        index += 1
    return True
