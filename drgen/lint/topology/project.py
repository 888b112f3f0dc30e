"""``build_project``: a folder of Terraform -> the analysed model lint policies read."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from drgen.bounded_read import MAX_TERRAFORM_FILE_BYTES, UnreadableFile, read_regular
from drgen.findings import FileError
from drgen.lint.evaluation.inputs import NO_INPUTS, Inputs
from drgen.lint.evaluation.instances import call_sites, instantiate_root
from drgen.lint.evaluation.references import output_targets, reference_graph
from drgen.lint.frontends.discovery import (
    check_paths,
    display_name,
    relative_base,
    resolved,
    terraform_directories,
    tree_root,
)
from drgen.lint.frontends.parse_cache import ParseCache, cache_secret, default_cache_dir
from drgen.lint.frontends.parsed import ParsedFile, empty_body
from drgen.lint.frontends.parsing import ParserName, parse_bytes
from drgen.lint.frontends.plan.paths import read_plans
from drgen.lint.model.roots import Project, Root, Suppression
from drgen.lint.modules.declarations import ModuleDir, is_local_source, load_module_dir
from drgen.lint.topology.links import backend_location, backend_settings, link_roots

if TYPE_CHECKING:
    from drgen.lint.modules.download import ModuleDownloads


def build_project(
    paths: Sequence[Path],
    *,
    use_cache: bool = True,
    parser: ParserName = "tree-sitter",
    cache_dir: Path | None = None,
    inputs: Inputs = NO_INPUTS,
    download_modules: bool = False,
) -> tuple[Project, list[FileError]]:
    """Discover, parse and analyse every root under ``paths``; parse errors come back per file.

    File names are relative to the one directory given (else to the current
    directory). ``parser="python-hcl2"`` selects the reference parser. A file holding a
    ``terraform show -json`` plan is a root of its own (drgen/lint/frontends/plan/paths.py).
    ``download_modules`` fetches remote module calls ``terraform init`` did not install.
    """
    check_paths(paths)
    base = relative_base(paths).resolve()  # module directories are resolved paths too
    secret = cache_secret() if use_cache else None
    cache = ParseCache(cache_dir or default_cache_dir(), secret) if secret else None
    with contextlib.ExitStack() as stack:
        downloads = None
        if download_modules:
            from drgen.lint.modules.download import ModuleDownloads

            folder = cache_dir or default_cache_dir()
            downloads = stack.enter_context(ModuleDownloads(folder, secret))
        return _build(paths, base, parser, cache, inputs, downloads)


def _build(
    paths: Sequence[Path],
    base: Path,
    parser: ParserName,
    cache: ParseCache | None,
    inputs: Inputs,
    downloads: ModuleDownloads | None,
) -> tuple[Project, list[FileError]]:
    loader = _Loader(base, parser, cache, downloads)
    plans = read_plans(paths, base)
    scanned = [d.resolve() for d in terraform_directories(plans.others)]
    for directory in scanned:
        loader.load(directory)
    called = _locally_called(loader, scanned)
    project = Project(base=str(paths[0]) if len(paths) == 1 else ".")
    reached: set[Path] = set()
    root_dirs = [d for d in scanned if d not in called]
    while True:
        for directory in root_dirs:
            build = instantiate_root(loader.load(directory), loader.load, inputs, downloads)
            reached |= build.directories
            root = Root(display_name(directory, base), build.resources)
            root.incomplete = build.incomplete
            root.not_analysed = build.not_analysed
            root.references = reference_graph(build.instances, build.resources)
            root.outputs = output_targets(build.instances[0], build.resources)
            root.backend = backend_settings(build.instances[0])
            root.calls = call_sites(build.instances)
            root.backend_at = backend_location(build.instances[0])
            project.roots.append(root)
            project.not_analysed.extend(build.not_analysed)
        # directories only reachable through a cycle of local calls become roots too
        root_dirs = [d for d in scanned if d not in reached][:1]
        if not root_dirs:
            break
    project.roots.extend(plans.roots)
    project.roots.sort(key=lambda r: r.directory)
    link_roots(project.roots)
    for root in project.roots:
        root.repository = project.roots
    project.not_analysed = sorted(set(project.not_analysed))
    project.files_scanned = len(loader.parsed) + plans.files
    project.unattached_suppressions = sorted(loader.unattached(), key=_suppression_order)
    errors = [*loader.errors, *plans.errors]
    return project, sorted(errors, key=lambda e: (e.file, e.line, e.column))


def _suppression_order(suppression: Suppression) -> tuple[str, int]:
    return (suppression.file, suppression.line)


def _locally_called(loader: _Loader, directories: list[Path]) -> set[Path]:
    """Directories that another scanned directory calls as a local module."""
    called: set[Path] = set()
    for directory in directories:
        for call in loader.load(directory).calls:
            if is_local_source(call.source):
                target = resolved(directory / call.source)
                if target != directory:
                    called.add(target)
    return called


class _Loader:
    """Parses each module directory once and collects file errors along the way."""

    def __init__(
        self,
        base: Path,
        parser: ParserName,
        cache: ParseCache | None,
        downloads: ModuleDownloads | None = None,
    ) -> None:
        self.base = base
        self.downloads = downloads  # names fetched packages by their source, not a temp path
        self.tree = tree_root(base)
        self.parser: ParserName = parser
        self.cache = cache
        self.modules: dict[Path, ModuleDir] = {}
        self.parsed: dict[str, ParsedFile] = {}
        self.errors: list[FileError] = []

    def load(self, directory: Path) -> ModuleDir:
        """The module at ``directory`` (an absolute, resolved path), read once."""
        if directory not in self.modules:
            label = self.downloads.label(directory) if self.downloads else None
            name = label or display_name(directory, self.base)
            module = load_module_dir(directory, name, self._parse, self.tree)
            self.errors.extend(FileError(file, 1, 1, why) for file, why in module.unreadable)
            self.modules[directory] = module
        return self.modules[directory]

    def _parse(self, path: Path, name: str) -> ParsedFile:
        try:
            data = read_regular(path, MAX_TERRAFORM_FILE_BYTES)
        except UnreadableFile as error:
            self.errors.append(FileError(name, 1, 1, f"cannot read file: {error.reason}"))
            return ParsedFile(empty_body())
        except OSError as error:
            self.errors.append(FileError(name, 1, 1, f"cannot read file: {error.strerror}"))
            return ParsedFile(empty_body())
        is_json = path.name.endswith(".json")
        parsed = parse_bytes(data, is_json=is_json, parser=self.parser, cache=self.cache)
        if parsed.error is not None:
            problem = parsed.error
            self.errors.append(FileError(name, problem.line, problem.column, problem.message))
        if path.name.endswith((".tf", ".tf.json")):
            self.parsed[name] = parsed
        return parsed

    def unattached(self) -> list[Suppression]:
        """Suppressions above or inside no resource block (one under ``count = 0`` is attached)."""
        found: list[Suppression] = []
        for module in self.modules.values():
            attached = {s for declared in module.declared for s in declared.suppressions}
            found.extend(s for s in module.suppressions if s not in attached)
        return found
