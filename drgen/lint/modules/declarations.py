"""One directory of Terraform read into its declarations (a module, not yet instantiated)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from drgen.lint.frontends.discovery import directory_files
from drgen.lint.frontends.parsed import ParsedFile
from drgen.lint.frontends.suppressions import attach
from drgen.lint.model.roots import Block, Suppression, Value
from drgen.printable import printable


@dataclass(frozen=True)
class Declared:
    """A resource or data block as written, before count/for_each or regions apply."""

    mode: str  # "managed" or "data"
    type: str
    name: str
    block: Block
    file: str
    suppressions: tuple[Suppression, ...]


@dataclass(frozen=True)
class ModuleCall:
    name: str
    source: str
    block: Block
    file: str


@dataclass
class ModuleDir:
    directory: str  # posix, relative to the scanned base
    path: Path
    declared: list[Declared] = field(default_factory=list)
    providers: list[Block] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Value] = field(default_factory=dict)
    outputs: dict[str, Value] = field(default_factory=dict)
    calls: list[ModuleCall] = field(default_factory=list)
    tfvars: dict[str, Value] = field(default_factory=dict)  # applied only when it is a root
    suppressions: list[Suppression] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    # entries named like Terraform that were not read: (display name, why)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    backend: Block | None = None  # ``terraform { backend "s3" {...} }``, used when it is a root
    backend_file: str = ""  # the file declaring ``backend``


# (path, display name) -> parsed file; the loader decides parser and cache
ParseFn = Callable[[Path, str], ParsedFile]


def load_module_dir(path: Path, directory: str, parse: ParseFn, tree: Path) -> ModuleDir:
    """Read every .tf/.tf.json file of ``path`` and its tfvars into one ModuleDir
    (links are followed only inside ``tree``, see discovery.directory_files)."""
    module = ModuleDir(directory, path)
    listing = directory_files(path, tree)
    module.unreadable = [(_join(directory, name), why) for name, why in listing.problems]
    terraform_files, tfvars_files = listing.terraform, listing.tfvars
    for file_path in terraform_files:
        name = _join(directory, file_path.name)
        module.files.append(name)
        parsed = parse(file_path, name)
        placed = tuple(_placed(s, name) for s in parsed.suppressions)
        module.suppressions.extend(placed)
        for block in parsed.body.blocks:
            _declare(module, block, name, placed, parsed.comment_lines)
    for file_path in sorted(tfvars_files, key=_tfvars_order):
        parsed = parse(file_path, _join(directory, file_path.name))
        module.tfvars.update(parsed.body.attributes)
    return module


def _tfvars_order(path: Path) -> tuple[bool, str]:
    """terraform.tfvars first, then *.auto.tfvars by name: later files win, as in Terraform."""
    return (path.name.startswith("terraform.tfvars") is False, path.name)


def _join(directory: str, name: str) -> str:
    name = printable(name)
    return name if directory == "." else f"{directory}/{name}"


def _placed(suppression: Suppression, file: str) -> Suppression:
    return replace(suppression, file=file)


def _declare(
    module: ModuleDir,
    block: Block,
    file: str,
    suppressions: tuple[Suppression, ...],
    comment_lines: frozenset[int],
) -> None:
    kind, labels = block.type, block.labels
    if kind in ("resource", "data") and len(labels) == 2:
        mode = "managed" if kind == "resource" else "data"
        attached = attach(block, suppressions, comment_lines)
        module.declared.append(Declared(mode, labels[0], labels[1], block, file, attached))
    elif kind == "provider" and len(labels) == 1:
        module.providers.append(block)
    elif kind == "variable" and len(labels) == 1:
        module.variables[labels[0]] = block
    elif kind == "locals":
        module.locals.update(block.attributes)
    elif kind == "output" and len(labels) == 1:
        module.outputs[labels[0]] = block.attributes.get("value")
    elif kind == "terraform" and block.first("backend") is not None:
        module.backend = block.first("backend")
        module.backend_file = file
    elif kind == "module" and len(labels) == 1:
        source = block.attributes.get("source")
        if isinstance(source, str):
            module.calls.append(ModuleCall(labels[0], source, block, file))


def is_local_source(source: str) -> bool:
    return source.startswith(("./", "../")) or source in (".", "..")
