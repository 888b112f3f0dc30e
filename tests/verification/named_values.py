"""Check `var.x`, `local.x` and `module.x` references name something the module declares."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .references import expressions

_NAMED = re.compile(r"(?<![\w.\-])(var|local|module)\.([A-Za-z_][\w-]*)")


def _declared(documents: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {"var": set(), "local": set(), "module": set()}
    for document in documents:
        names["var"] |= set(document.get("variable", {}))
        names["module"] |= set(document.get("module", {}))
        for block in document.get("locals", []):
            names["local"] |= set(block)
    return names


def check_named_values(documents: Sequence[tuple[str, Mapping[str, Any]]]) -> list[str]:
    """``documents`` are (file, hcl2json) pairs of one module directory."""
    declared = _declared([document for _, document in documents])
    problems = set()
    for file, document in documents:
        for expression in expressions(document):
            for kind, name in _NAMED.findall(expression):
                if name not in declared[kind]:
                    problems.add(f"{file}: {kind}.{name} is not declared in this module")
    return sorted(problems)
