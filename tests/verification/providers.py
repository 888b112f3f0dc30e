"""Check `provider = aws.<alias>` (and module `providers`) name a declared provider alias."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .aws_schema import Declared

_PROVIDER_REF = re.compile(r"^\$\{(aws(?:\.[A-Za-z_][\w-]*)?)\}$")


def declared_aliases(documents: Sequence[Mapping[str, Any]]) -> set[str]:
    """``aws.<alias>`` of provider blocks and of required_providers' configuration_aliases."""
    aliases = {"aws"}
    for document in documents:
        for body in document.get("provider", {}).get("aws", []):
            if "alias" in body:
                aliases.add(f"aws.{body['alias']}")
        for terraform in document.get("terraform", []):
            for required in terraform.get("required_providers", []):
                for ref in required.get("aws", {}).get("configuration_aliases", []):
                    aliases.add(str(ref).removeprefix("${").removesuffix("}"))
    return aliases


def _used(
    module: Sequence[Declared], documents: Sequence[tuple[str, Mapping[str, Any]]]
) -> Iterator[tuple[str, str]]:
    for decl in module:
        if "provider" in decl.body:
            yield f"{decl.file}: {decl.address}", str(decl.body["provider"])
    for file, document in documents:
        for name, calls in document.get("module", {}).items():
            for call in calls:
                for ref in call.get("providers", {}).values():
                    yield f"{file}: module.{name}", str(ref)


def check_providers(
    module: Sequence[Declared], documents: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[str]:
    """``documents`` are (file, hcl2json) pairs of one module directory."""
    aliases = declared_aliases([document for _, document in documents])
    problems = []
    for where, ref in _used(module, documents):
        match = _PROVIDER_REF.match(ref)
        if not match:
            problems.append(f"{where}: provider must be a plain reference like aws.secondary")
        elif match.group(1) not in aliases:
            problems.append(f"{where}: provider {match.group(1)} is not configured in this module")
    return problems
