"""Shared steps of the suite: write a tree to disk, check parsed files against the schema."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .aws_schema import check_declaration, declarations
from .named_values import check_named_values
from .providers import check_providers
from .references import check_references, expressions

# Top-level blocks that are not resources but whose expressions may reference resources.
REFERENCING_BLOCKS = ("output", "locals", "module", "provider")


@dataclass
class SchemaReport:
    problems: list[str] = field(default_factory=list)
    resources: int = 0  # managed resource blocks checked
    data_sources: int = 0


def write_tree(files: Mapping[str, str], directory: Path) -> list[Path]:
    """Write ``RenderedTree.files`` under ``directory``; return the Terraform files."""
    written = []
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if path.suffix == ".tf":
            written.append(path)
    return sorted(written)


def check_schema(parsed: Mapping[str, Mapping[str, Any]]) -> SchemaReport:
    """``parsed`` maps a file's relative path to its hcl2json output (one rendered tree)."""
    report = SchemaReport()
    by_module: dict[str, list[Any]] = defaultdict(list)
    others: dict[str, list[tuple[str, str]]] = defaultdict(list)
    documents: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    for file, document in sorted(parsed.items()):
        module = str(PurePosixPath(file).parent)
        documents[module].append((file, document))
        for decl in declarations(file, document):
            by_module[module].append(decl)
            report.problems += check_declaration(decl)
            if decl.kind == "resource":
                report.resources += 1
            else:
                report.data_sources += 1
        for block in REFERENCING_BLOCKS:
            where = f"{file}: {block}"
            others[module] += [(where, e) for e in expressions(document.get(block, {}))]
    for module in sorted(by_module.keys() | others.keys()):
        report.problems += check_references(by_module[module], others[module])
        report.problems += check_providers(by_module[module], documents[module])
        report.problems += check_named_values(documents[module])
    return report


def root_folders(files: Iterable[str]) -> list[str]:
    """The Terraform roots of a rendered tree: every folder holding a ``.tf`` file."""
    return sorted({str(PurePosixPath(name).parent) for name in files if name.endswith(".tf")})


def default_tags(parsed: Mapping[str, Mapping[str, Any]], root: str) -> dict[str, Any]:
    """One root's aws provider ``default_tags``, as HashiCorp's parser reads them."""
    tags: dict[str, Any] = {}
    for file, document in parsed.items():
        if PurePosixPath(file).parent != PurePosixPath(root):
            continue
        for provider in document.get("provider", {}).get("aws", []):
            for block in provider.get("default_tags", []):
                tags |= block.get("tags", {})
    return tags


def as_hcl2json_literal(text: str) -> str:
    """How hcl2json shows a literal string: template markers stay escaped (``$${``, ``%%{``),
    so a value rendered without escaping (a live ``${...}``) cannot pass for the literal."""
    return text.replace("${", "$${").replace("%{", "%%{")
