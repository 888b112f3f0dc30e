"""Check hcl2json output against the AWS provider v6 schema in tools/aws-provider-schema.json.

Every resource and data source type must exist, every argument and nested block must be one
the provider knows, every required argument must be set (counting the required ones inside
the blocks that are present), and single blocks may appear once. Terraform's meta-arguments
are checked apart: lifecycle keys, ignore_changes names, count xor for_each.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .toolchain import SCHEMA_FILE

# Terraform's own meta-arguments; `region` is a real argument in AWS provider v6 and sits
# in the schema of every regional type, so it is checked like any other argument.
RESOURCE_META = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle"})
RESOURCE_META_BLOCKS = frozenset({"provisioner", "connection"})
LIFECYCLE_KEYS = frozenset(
    {
        "create_before_destroy",
        "prevent_destroy",
        "ignore_changes",
        "replace_triggered_by",
        "precondition",
        "postcondition",
    }
)
DYNAMIC_KEYS = frozenset({"for_each", "iterator", "labels", "content"})
KINDS = {"resource": "resources", "data": "data_sources"}
_TRAVERSAL_ROOT = re.compile(r"^\$\{([A-Za-z_][\w-]*)")


@dataclass(frozen=True)
class Declared:
    """One resource or data block of a parsed file."""

    kind: str  # "resource" or "data"
    type: str
    name: str
    body: dict[str, Any]
    file: str

    @property
    def address(self) -> str:
        prefix = "data." if self.kind == "data" else ""
        return f"{prefix}{self.type}.{self.name}"

    @property
    def expanded(self) -> bool:
        return "count" in self.body or "for_each" in self.body


@cache
def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def declarations(file: str, parsed: Mapping[str, Any]) -> Iterator[Declared]:
    """Resource and data blocks of one hcl2json document, in file order."""
    for kind in KINDS:
        for type_name, by_name in parsed.get(kind, {}).items():
            for name, bodies in by_name.items():
                for body in bodies:
                    yield Declared(kind, type_name, name, body, file)


def check_declaration(decl: Declared, schema: Mapping[str, Any] | None = None) -> list[str]:
    """Problems with one block: unknown type, unknown/missing arguments, misused blocks."""
    schema = schema or load_schema()
    where = f"{decl.file}: {decl.address}"
    types = schema[KINDS[decl.kind]]
    if decl.type not in types:
        known = "data source" if decl.kind == "data" else "resource"
        hint = _did_you_mean(decl.type, types)
        return [
            f"{where}: AWS provider {schema['provider_version']} has no {known} type "
            f"'{decl.type}'{hint} (or tools/extract_aws_schema.py does not keep it)"
        ]
    spec = types[decl.type]
    problems = _check_lifecycle(where, decl.body.get("lifecycle", []), spec)
    if "count" in decl.body and "for_each" in decl.body:
        problems.append(f"{where}: count and for_each cannot both be set")
    body = {k: v for k, v in decl.body.items() if k not in RESOURCE_META}
    for key in RESOURCE_META_BLOCKS & body.keys():
        if decl.kind == "data":
            problems.append(f"{where}: a data source takes no '{key}' block")
        body.pop(key)
    return problems + _check_body(where, body, spec)


def _check_lifecycle(where: str, value: Any, spec: Mapping[str, Any]) -> list[str]:
    """Known lifecycle arguments; ``ignore_changes`` names attributes the type has."""
    bodies = value if isinstance(value, list) else [value]
    known = {*spec["arguments"], *spec["blocks"], *spec["attributes"]}
    problems = []
    for body in bodies:
        problems += [f"{where}: lifecycle has no '{k}'" for k in body if k not in LIFECYCLE_KEYS]
        ignored = body.get("ignore_changes", [])
        for entry in ignored if isinstance(ignored, list) else []:
            match = _TRAVERSAL_ROOT.match(str(entry))
            if match and match.group(1) not in known:
                hint = _did_you_mean(match.group(1), known)
                problems.append(f"{where}: ignore_changes names unknown '{match.group(1)}'{hint}")
    return problems


def _check_body(where: str, body: Mapping[str, Any], spec: Mapping[str, Any]) -> list[str]:
    arguments: Mapping[str, str] = spec["arguments"]
    blocks: Mapping[str, Any] = spec["blocks"]
    problems: list[str] = []
    present = set(body)
    for name, dynamics in body.get("dynamic", {}).items():
        present.add(name)
        problems += _check_dynamic(f"{where}: dynamic {name}", name, dynamics, blocks)
    for key, value in body.items():
        if key == "dynamic":
            continue
        if key in arguments:
            continue
        if key in blocks:
            problems += _check_block(f"{where}: {key}", value, blocks[key])
            continue
        hint = _did_you_mean(key, [*arguments, *blocks])
        problems.append(f"{where}: unknown argument or block '{key}'{hint}")
    for name, need in sorted(arguments.items()):
        if need == "required" and name not in present:
            problems.append(f"{where}: required argument '{name}' is not set")
    for name, block in sorted(blocks.items()):
        if block["required"] and name not in present:
            problems.append(f"{where}: required block '{name}' is missing")
    return problems


def _check_block(where: str, value: Any, block: Mapping[str, Any]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return [f"{where}: is a nested block, write it as a block, not `= ...`"]
    problems = []
    if not block["list"] and len(value) > 1:
        problems.append(f"{where}: at most one block of this kind, found {len(value)}")
    for item in value:
        problems += _check_body(where, item, block)
    return problems


def _check_dynamic(where: str, name: str, dynamics: Any, blocks: Mapping[str, Any]) -> list[str]:
    if name not in blocks:
        return [f"{where}: '{name}' is not a nested block here{_did_you_mean(name, blocks)}"]
    problems = []
    for dynamic in dynamics:
        problems += [f"{where}: unknown key '{k}'" for k in dynamic if k not in DYNAMIC_KEYS]
        for content in dynamic.get("content", []):
            problems += _check_body(where, content, blocks[name])
    return problems


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
