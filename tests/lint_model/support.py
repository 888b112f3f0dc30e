"""Shared helpers for the lint model tests: build a fixture folder, find a resource."""

from __future__ import annotations

from pathlib import Path

from drgen.findings import FileError
from drgen.lint.frontends.parsing import ParserName
from drgen.lint.model.roots import Project, Resource, Root
from drgen.lint.topology.project import build_project

MODEL_FIXTURES = Path(__file__).parent.parent / "fixtures" / "model"


def build(name: str, parser: ParserName = "tree-sitter") -> tuple[Project, list[FileError]]:
    return build_project([MODEL_FIXTURES / name], use_cache=False, parser=parser)


def root_at(project: Project, directory: str) -> Root:
    for root in project.roots:
        if root.directory == directory:
            return root
    raise AssertionError(f"no root {directory}; have {[r.directory for r in project.roots]}")


def resource_at(root: Root, address: str) -> Resource:
    found = root.by_address(address)
    assert found is not None, f"{address} missing; have {[r.address for r in root.resources]}"
    return found
