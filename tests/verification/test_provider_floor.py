"""Each root's `required_providers` constraint is the lowest AWS provider release that has
every resource type, argument and nested block the root uses.

The features are read here with HashiCorp's parser (hcl2json) and told apart (argument or
block) by the provider schema, independently of drgen's own walk; the release of each comes
from tools/aws-provider-versions.json (tools/aws_provider_versions.py).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from .aws_schema import KINDS, RESOURCE_META, declarations, load_schema
from .cases import all_cases
from .hcl_tools import HclResult
from .rendering import RenderedCase
from .toolchain import TOOLS

CASE_IDS = [case.id for case in all_cases()]
VERSIONS = json.loads((TOOLS / "aws-provider-versions.json").read_text(encoding="utf-8"))


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _body_features(prefix: str, body: Mapping[str, Any], spec: Mapping[str, Any]) -> Iterator[str]:
    yield prefix
    for key, value in body.items():
        if key == "dynamic":
            for name, dynamics in value.items():
                for dynamic in dynamics:
                    for content in dynamic.get("content", []):
                        yield from _body_features(f"{prefix}.{name}", content, spec["blocks"][name])
        elif key in spec["blocks"]:
            for item in value:
                yield from _body_features(f"{prefix}.{key}", item, spec["blocks"][key])
        else:
            yield f"{prefix}.{key}"


def _root_features(documents: list[tuple[str, Mapping[str, Any]]]) -> set[str]:
    schema = load_schema()
    found: set[str] = set()
    for file, document in documents:
        for decl in declarations(file, document):
            spec = schema[KINDS[decl.kind]][decl.type]
            body = {k: v for k, v in decl.body.items() if k not in RESOURCE_META}
            found |= set(_body_features(f"{decl.kind}.{decl.type}", body, spec))
    return found


def _constraint(documents: list[tuple[str, Mapping[str, Any]]]) -> str | None:
    for _, document in documents:
        for terraform in document.get("terraform", []):
            for providers in terraform.get("required_providers", []):
                if "aws" in providers:
                    return str(providers["aws"]["version"])
    return None


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_constraint_is_the_lowest_release_with_every_feature(
    case_id: str, rendered: dict[str, RenderedCase], hcl_results: dict[Path, HclResult]
) -> None:
    case = rendered[case_id]
    tree = case.require_tree()
    roots: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    for name in tree.files:
        if name.endswith(".tf"):
            parsed = hcl_results[(case.directory / name).resolve()].json
            assert parsed is not None, f"{name} does not parse (see the parse test)"
            roots[str(PurePosixPath(name).parent)].append((name, parsed))
    since = {key: entry["version"] for key, entry in VERSIONS["since"].items()}
    for root, documents in sorted(roots.items()):
        used = _root_features(documents)
        newer = {f: since[f] for f in used if f in since}
        lowest = max([VERSIONS["baseline"], *newer.values()], key=_release)
        needing_it = sorted(f for f, version in newer.items() if version == lowest)
        assert _constraint(documents) == f">= {lowest}", (
            f"{case_id}/{root}: the lowest release with every feature is {lowest} "
            f"(needed by {needing_it or 'nothing newer than the baseline'})"
        )
