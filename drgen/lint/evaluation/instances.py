"""Instantiate a root module: follow module calls, apply count/for_each, resolve regions.

Produces one ``Instance`` per module call reached (Terraform's module tree) and the
model ``Resource`` for every resource that exists in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from drgen import bounded_json
from drgen.bounded_read import read_regular
from drgen.findings import MODULE_BUDGET_EXCEEDED, RECURSIVE_MODULE_CALL
from drgen.lint.evaluation.budget import EvaluationBudget
from drgen.lint.evaluation.inputs import NO_INPUTS, Assignment, Inputs, typed
from drgen.lint.evaluation.regions import (
    Providers,
    declared_providers,
    passed_providers,
    provider_name,
    resource_config,
    resource_region,
    string_map,
)
from drgen.lint.evaluation.scope import UNKNOWN, Resolved, Scope, resolve_block
from drgen.lint.frontends.discovery import resolved
from drgen.lint.model.roots import Block, CallSite, Incomplete, Resource
from drgen.lint.model.values import Unknown
from drgen.lint.modules.declarations import ModuleCall, ModuleDir, is_local_source

if TYPE_CHECKING:
    from drgen.lint.modules.download import ModuleDownloads

MAX_MODULE_DEPTH = 32
MAX_MODULE_INSTANCES = 1000  # per root; module trees of real projects stay well below
_MAX_MODULES_JSON_BYTES = 16 << 20
LoadDir = Callable[[Path], ModuleDir]  # absolute module directory -> its declarations


@dataclass
class Instance:
    module_path: tuple[str, ...]
    module: ModuleDir
    scope: Scope
    parent: Instance | None = None
    call: ModuleCall | None = None
    children: dict[str, Instance] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return "".join(f"module.{m}." for m in self.module_path)


@dataclass
class RootBuild:
    instances: list[Instance] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    not_analysed: list[str] = field(default_factory=list)
    directories: set[Path] = field(default_factory=set)  # module dirs this root reached
    budget: EvaluationBudget = field(default_factory=EvaluationBudget)
    incomplete: list[Incomplete] = field(default_factory=list)
    noted: set[str] = field(default_factory=set)  # which budgets ran out (each noted once)
    downloads: ModuleDownloads | None = None  # --download-modules: fetches remote sources

    def note_exhausted(self, file: str, line: int, address: str) -> None:
        """Record where the evaluation budget ran out (once: everything after is UNKNOWN)."""
        if self.budget.exhausted and "evaluation" not in self.noted:
            self.noted.add("evaluation")
            self.incomplete.append(
                Incomplete(
                    file,
                    line,
                    f"{address}: the evaluation budget of this root ran out here, so drgen"
                    " treats every value it had not computed yet as unknown; simplify the"
                    " expressions (long concat/template chains, huge ranges or loops)",
                    address,
                )
            )
        if self.budget.too_deep and "nesting" not in self.noted:
            self.noted.add("nesting")
            self.incomplete.append(
                Incomplete(
                    file,
                    line,
                    f"{address}: an expression here nests (through locals, calls or brackets)"
                    " too deeply for drgen to evaluate, so its value is unknown; flatten the"
                    " chain of locals or nested calls",
                    address,
                )
            )


def instantiate_root(
    root: ModuleDir,
    load: LoadDir,
    inputs: Inputs = NO_INPUTS,
    downloads: ModuleDownloads | None = None,
) -> RootBuild:
    """The root with its variables set as Terraform would: defaults, ``TF_VAR_*``, tfvars
    files, then ``--var-file`` / ``--var`` (see drgen/lint/evaluation/inputs.py). Remote module
    calls are read from ``terraform init``'s folder, else fetched by ``downloads`` when given."""
    build = RootBuild(downloads=downloads)
    budget = build.budget
    variables = {name: _default(block, budget) for name, block in root.variables.items()}
    literal = Scope({}, {}, budget)

    def assign(assignments: tuple[Assignment, ...]) -> None:
        for assignment in assignments:
            variable = root.variables.get(assignment.name)
            if variable is not None:
                value = typed(assignment, variable)
                known = not isinstance(value, Unknown)
                variables[assignment.name] = literal.resolve(value) if known else value  # type: ignore[arg-type]

    assign(inputs.environment)
    for name, value in root.tfvars.items():
        if name in variables:
            variables[name] = literal.resolve(value)
    assign(inputs.command_line)
    scope = Scope(variables, root.locals, budget)
    instance = Instance((), root, scope)
    providers = declared_providers(root.providers, scope, "")
    _walk(instance, providers, expanded=False, load=load, build=build, root=root)
    return build


def call_sites(instances: list[Instance]) -> dict[tuple[str, ...], CallSite]:
    """Every module instance's ``module`` block, by module path."""
    return {
        i.module_path: CallSite(
            i.call.file, i.call.block.line, dict(i.call.block.attributes), dict(i.module.locals)
        )
        for i in instances
        if i.call is not None
    }


def _default(variable: Block, budget: EvaluationBudget) -> Resolved:
    if "default" not in variable.attributes:
        return UNKNOWN
    return Scope({}, {}, budget).resolve(variable.attributes["default"])


def _walk(
    instance: Instance,
    providers: Providers,
    *,
    expanded: bool,
    load: LoadDir,
    build: RootBuild,
    root: ModuleDir,
) -> None:
    build.instances.append(instance)
    build.directories.add(instance.module.path)
    for declared in instance.module.declared:
        body = declared.block
        if _absent(body, instance.scope):
            continue
        config = resource_config(provider_name(declared.type, body.get("provider")), providers)
        tags = dict(config.default_tags) if declared.mode == "managed" else {}
        tags.update(string_map(instance.scope.resolve(body.get("tags"))))
        resource = Resource(
            mode=declared.mode,
            type=declared.type,
            name=declared.name,
            module_path=instance.module_path,
            body=body,
            file=declared.file,
            region=resource_region(body, config, instance.scope),
            provider=config.address,
            tags=tags,
            expanded=expanded or _repeated(body),
            suppressions=declared.suppressions,
            evaluated=resolve_block(body, instance.scope),
        )
        build.resources.append(resource)
        build.note_exhausted(declared.file, body.line, resource.address)
    for call in instance.module.calls:
        if _absent(call.block, instance.scope):
            continue
        _follow(instance, call, providers, expanded=expanded, load=load, build=build, root=root)


def _follow(
    parent: Instance,
    call: ModuleCall,
    providers: Providers,
    *,
    expanded: bool,
    load: LoadDir,
    build: RootBuild,
    root: ModuleDir,
) -> None:
    module_path = (*parent.module_path, call.name)
    address = "".join(f"module.{m}." for m in module_path)[:-1]
    directory = _module_directory(parent.module.path, call.source, module_path, root.path)
    if directory is None and build.downloads is not None and not is_local_source(call.source):
        version = call.block.get("version")
        fetched = build.downloads.module(call.source, version if isinstance(version, str) else "")
        if isinstance(fetched, str):
            build.not_analysed.append(f"{root.directory}:{address} ({call.source}: {fetched})")
            return
        directory = resolved(fetched)
    if directory is None:
        build.not_analysed.append(f"{root.directory}:{address} ({call.source})")
        return
    if len(module_path) > MAX_MODULE_DEPTH or _calls_itself(parent, directory):
        build.not_analysed.append(f"{root.directory}:{address} ({RECURSIVE_MODULE_CALL})")
        return
    if len(build.instances) >= MAX_MODULE_INSTANCES:
        build.not_analysed.append(f"{root.directory}:{address} ({MODULE_BUDGET_EXCEEDED})")
        if "modules" not in build.noted:
            build.noted.add("modules")
            build.incomplete.append(_over_module_budget(call, address))
        return
    child_module = load(directory)
    variables: dict[str, Resolved] = {}
    budget = build.budget
    for name, block in child_module.variables.items():
        if name in call.block.attributes:
            variables[name] = parent.scope.resolve(call.block.attributes[name])
        else:
            variables[name] = _default(block, budget)
    build.note_exhausted(call.file, call.block.line, address)
    scope = Scope(variables, child_module.locals, budget)
    child = Instance(module_path, child_module, scope, parent, call)
    parent.children[call.name] = child
    inherited = passed_providers(call.block, providers)
    inherited.update(declared_providers(child_module.providers, scope, child.prefix))
    _walk(
        child,
        inherited,
        expanded=expanded or _repeated(call.block),
        load=load,
        build=build,
        root=root,
    )


def _over_module_budget(call: ModuleCall, address: str) -> Incomplete:
    return Incomplete(
        call.file,
        call.block.line,
        f"{address}: this root expands more than {MAX_MODULE_INSTANCES} module instances,"
        " so drgen did not analyse this call or any later one; resources they create are not"
        " linted (split the root, or call modules fewer times)",
        address,
    )


def _module_directory(
    here: Path, source: str, module_path: tuple[str, ...], root_path: Path
) -> Path | None:
    """Local sources resolve against the calling module; remote ones via modules.json."""
    if is_local_source(source):
        candidate = resolved(here / source)
        return candidate if candidate.is_dir() else None
    return _installed_module(root_path, ".".join(module_path))


def _installed_module(root_path: Path, key: str) -> Path | None:
    """Where ``terraform init`` put a remote module (``.terraform/modules/modules.json``)."""
    manifest = root_path / ".terraform" / "modules" / "modules.json"
    try:
        text = read_regular(manifest, _MAX_MODULES_JSON_BYTES).decode("utf-8")
        entries = bounded_json.loads(text, max_depth=16).get("Modules", [])
    except (OSError, ValueError, AttributeError):  # UnreadableFile, JsonShapeError, not UTF-8
        return None
    for entry in entries if isinstance(entries, list) else []:
        if (
            isinstance(entry, dict)
            and entry.get("Key") == key
            and isinstance(entry.get("Dir"), str)
        ):
            candidate = resolved(root_path / entry["Dir"])
            return candidate if candidate.is_dir() else None
    return None


def _calls_itself(parent: Instance | None, directory: Path) -> bool:
    while parent is not None:
        if parent.module.path == directory:
            return True
        parent = parent.parent
    return False


def _repeated(body: Block) -> bool:
    return "count" in body.attributes or "for_each" in body.attributes


def _absent(body: Block, scope: Scope) -> bool:
    """``count = 0`` or an empty ``for_each`` (after resolving variables): no instance at all."""
    if "count" in body.attributes:
        count = scope.resolve(body.attributes["count"])
        return isinstance(count, int) and not isinstance(count, bool) and count == 0
    if "for_each" in body.attributes:
        each = scope.resolve(body.attributes["for_each"])
        return isinstance(each, (list, dict)) and len(each) == 0
    return False
