"""``terraform show -json PLANFILE`` -> one model Root, every module instance expanded.

Values come from ``planned_values`` (``after_unknown`` ones stay unknown), what was written
and the references between resources from ``configuration``, regions and default tags from
``configuration.provider_config`` (aliases, and the configuration a module call passes, which
the plan already resolved into each resource's ``provider_config_key``). A resource instance
is one model resource (``module.logs["audit"].aws_s3_bucket.this``, ``aws_dynamodb_table.t[0]``),
placed at the line of its address in the plan file. A document that is not a plan, or a plan
format drgen does not read, is a SyntaxProblem (file errors are located, exit 2).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

from drgen.bounded_json import nesting_depth
from drgen.lint.evaluation.regions import string_map
from drgen.lint.frontends.parsed import SyntaxProblem
from drgen.lint.frontends.plan.graph import (
    PlanInstance,
    call_name,
    expression_references,
    module_segments,
    resolve,
    resolve_all,
)
from drgen.lint.frontends.plan.values import plan_blocks
from drgen.lint.model.roots import Resource, Root

_ADDRESS = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')
MAX_PLAN_DEPTH = 200  # json.loads recurses per level; real plans nest a few dozen
_SUPPORTED_MAJOR = "1"


class PlanShapeError(Exception):
    """Part of the document is not what ``terraform show -json`` writes: where and why."""

    def __init__(self, message: str, key: str, anchor: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.key = key  # the JSON key it is about, to locate it in the text
        self.anchor = anchor  # a string (an address) the key follows in the text


def plan_document(data: bytes) -> dict[str, Any] | None:
    """The parsed document when ``data`` holds a Terraform plan in JSON (a ``format_version``
    and ``planned_values``), else None: detection by content, whatever the file's name."""
    text = _text(data)
    if text is None or nesting_depth(text) > MAX_PLAN_DEPTH:
        return None
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    if isinstance(document, dict) and "format_version" in document and "planned_values" in document:
        return document
    return None


def read_plan(data: bytes, name: str) -> Root | SyntaxProblem:
    """The plan in ``data`` (the file shown as ``name``) as a Root; never raises."""
    text = _text(data)
    if text is None:
        return SyntaxProblem(1, 1, "a plan file must be UTF-8 JSON (terraform show -json PLAN)")
    depth = nesting_depth(text)
    if depth > MAX_PLAN_DEPTH:
        return SyntaxProblem(1, 1, f"nested {depth} levels deep (at most {MAX_PLAN_DEPTH})")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return SyntaxProblem(error.lineno, error.colno, f"invalid JSON: {error.msg}")
    except RecursionError:
        return SyntaxProblem(1, 1, "nested too deeply to analyse")
    try:
        return _root(document, name, _Locator(text))
    except PlanShapeError as error:
        line, column = _Locator(text).find(error.key, error.anchor)
        return SyntaxProblem(line, column, error.message)


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


class _Locator:
    """Line and column of a key's (or address's) first occurrence in the plan text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.address_lines: dict[str, int] | None = None

    def find(self, key: str, anchor: str = "") -> tuple[int, int]:
        start = self.text.find(json.dumps(anchor)) if anchor else 0
        found = self.text.find(json.dumps(key), max(start, 0)) if key else -1
        offset = found if found >= 0 else max(start, 0)
        line_start = self.text.rfind("\n", 0, offset) + 1
        return self.text.count("\n", 0, offset) + 1, offset - line_start + 1

    def line_of_address(self, address: str) -> int:
        """The line of the first ``"address": ...`` naming it (planned_values come first)."""
        if self.address_lines is None:  # one pass over the text for every address
            self.address_lines = {}
            line, last = 1, 0
            for match in _ADDRESS.finditer(self.text):
                line += self.text.count("\n", last, match.start())
                last = match.start()
                with contextlib.suppress(ValueError, RecursionError):
                    name = json.loads(match.group(1))
                    if isinstance(name, str):
                        self.address_lines.setdefault(name, line)
        return self.address_lines.get(address, 1)


def _root(document: Any, name: str, locator: _Locator) -> Root:
    if not isinstance(document, dict):
        raise PlanShapeError("a plan must be a JSON object (terraform show -json PLAN)", "")
    version = document.get("format_version")
    if not isinstance(version, str) or version.split(".", 1)[0] != _SUPPORTED_MAJOR:
        raise PlanShapeError(
            f"unsupported plan format_version {json.dumps(version)} (drgen reads 1.x, written"
            " by Terraform 1.x `terraform show -json`)",
            "format_version",
        )
    if "planned_values" not in document:
        kind = "a state (terraform show -json without a plan)" if "values" in document else ""
        raise PlanShapeError(
            f"no planned_values: this is {kind or 'not a plan'}; lint"
            " `terraform show -json PLANFILE` output",
            "format_version",
        )
    planned = _object(document, "planned_values")
    configuration = _object(document, "configuration", required=False)
    config_root = _object(configuration, "root_module", required=False)
    root_values = _with_read_data(
        _object(planned, "root_module", required=False), _prior_root(document)
    )
    root_instance = PlanInstance((), config_root)
    instances = _instances(root_values, root_instance)
    changes = _unknowns(document)
    providers = _Providers(
        _object(configuration, "provider_config", required=False),
        _object(document, "variables", required=False),
        config_root,
    )
    root = Root(name)
    placed: list[tuple[Resource, PlanInstance, dict[str, Any]]] = []
    for instance, values in instances:
        for entry in _list(values, "resources"):
            resource, config = _resource(entry, instance, changes, providers, name, locator)
            if resource is not None:
                placed.append((resource, instance, config))
    root.resources = [r for r, _, _ in placed]
    existing = {r.address for r in root.resources}
    for resource, instance, config in placed:
        written = [*expression_references(config), *_strings(config.get("depends_on"))]
        targets = resolve_all(written, instance, -1) & existing
        targets.discard(resource.address)
        root.references[resource.address] = targets
    outputs = _object(config_root, "outputs", required=False)
    for output, entry in outputs.items():
        value = entry.get("expression") if isinstance(entry, dict) else None
        root.outputs[output] = {
            a for r in expression_references(value) for a in resolve(r, root_instance)
        } & existing
    return root


def _prior_root(document: dict[str, Any]) -> dict[str, Any]:
    prior = _object(document, "prior_state", required=False)
    return _object(_object(prior, "values", required=False), "root_module", required=False)


def _with_read_data(planned: dict[str, Any], prior: dict[str, Any]) -> dict[str, Any]:
    """``planned`` with the data sources Terraform read while planning (they are in
    ``prior_state``, only those read at apply time are planned), module by module."""
    resources = _list(planned, "resources")
    have = {a for r in resources if isinstance(a := r.get("address"), str)}
    read = [
        r
        for r in _list(prior, "resources")
        if r.get("mode") == "data" and isinstance(r.get("address"), str)
    ]
    children: dict[str, dict[str, Any]] = {}
    unnamed: list[dict[str, Any]] = []  # refused later, located, by _instances
    for child in _list(planned, "child_modules"):
        address = child.get("address")
        if isinstance(address, str) and address not in children:
            children[address] = child
        else:
            unnamed.append(child)
    for child in _list(prior, "child_modules"):
        address = child.get("address")
        if isinstance(address, str):
            children[address] = _with_read_data(children.get(address, {"address": address}), child)
    return {
        **planned,
        "resources": [*resources, *(r for r in read if r["address"] not in have)],
        "child_modules": [*children.values(), *unnamed],
    }


def _instances(
    values: dict[str, Any], root: PlanInstance
) -> list[tuple[PlanInstance, dict[str, Any]]]:
    """Every module instance of ``planned_values`` (breadth first) with its values."""
    found: list[tuple[PlanInstance, dict[str, Any]]] = [(root, values)]
    by_path: dict[tuple[str, ...], PlanInstance] = {(): root}
    queue = [values]
    while queue:
        current = queue.pop(0)
        for child in _list(current, "child_modules"):
            address = child.get("address")
            path = module_segments(address) if isinstance(address, str) else None
            if not path:
                raise PlanShapeError("a child module without a valid address", "child_modules")
            parent = by_path.get(path[:-1])
            if parent is None or path in by_path:
                raise PlanShapeError(
                    f"module {address} has no parent module", "address", str(address)
                )
            calls = _object(parent.config, "module_calls", required=False)
            call = _object(calls, call_name(path[-1]), required=False)
            instance = PlanInstance(
                path, _object(call, "module", required=False), call or None, parent
            )
            parent.children.setdefault(call_name(path[-1]), []).append(instance)
            by_path[path] = instance
            found.append((instance, child))
            queue.append(child)
    for instance, values_of in found:
        for entry in _list(values_of, "resources"):
            local = _local_address(entry)
            if local is not None:
                instance.resources.setdefault(local[0], []).append(local[1])
    return found


def _local_address(entry: dict[str, Any]) -> tuple[str, str] | None:
    """(``type.name`` as the module refers to it, the instance's full address)."""
    mode, kind, name, address = (entry.get(k) for k in ("mode", "type", "name", "address"))
    if not all(isinstance(v, str) for v in (mode, kind, name, address)):
        return None
    local = f"data.{kind}.{name}" if mode == "data" else f"{kind}.{name}"
    return local, str(address)


def _resource(
    entry: dict[str, Any],
    instance: PlanInstance,
    changes: dict[str, Any],
    providers: _Providers,
    file: str,
    locator: _Locator,
) -> tuple[Resource | None, dict[str, Any]]:
    mode, kind, name, address = (entry.get(k) for k in ("mode", "type", "name", "address"))
    if not all(isinstance(v, str) and v for v in (mode, kind, name, address)):
        anchor = address if isinstance(address, str) else ""
        raise PlanShapeError("a resource without mode, type, name and address", "mode", anchor)
    if mode not in ("managed", "data"):
        raise PlanShapeError(f"{address}: unknown resource mode {mode!r}", "mode", str(address))
    config = _resource_config(instance, str(mode), str(kind), str(name))
    line = locator.line_of_address(str(address))
    labels = (str(kind), str(name))
    body, evaluated = plan_blocks(
        "resource" if mode == "managed" else "data",
        labels,
        _object(config, "expressions", required=False, anchor=str(address)) if config else None,
        _object(entry, "values", required=False, anchor=str(address)),
        changes.get(str(address), {}),
        line,
        read=mode == "data" and str(address) not in changes,
    )
    provider = config.get("provider_config_key")
    provider_key = provider if isinstance(provider, str) else str(kind).split("_", 1)[0]
    region, default_tags = providers.of(provider_key)
    own_region = evaluated.attributes.get("region") if "region" in body.attributes else None
    if isinstance(own_region, str) and own_region.strip():
        region = own_region
    tags_all = evaluated.attributes.get("tags_all")
    tags = dict(default_tags) if mode == "managed" else {}
    tags.update(string_map(evaluated.attributes.get("tags")))
    known_all = string_map(tags_all)
    if isinstance(tags_all, dict) and len(known_all) == len(tags_all):
        tags = known_all
    resource = Resource(
        mode="managed" if mode == "managed" else "data",
        type=str(kind),
        name=str(name) + _index_text(entry.get("index")),
        module_path=instance.path,
        body=body,
        file=file,
        region=region,
        provider=provider_key,
        tags=tags,
        evaluated=evaluated,
    )
    return resource, config


def _index_text(index: Any) -> str:
    if isinstance(index, bool) or index is None:
        return ""
    if isinstance(index, (int, str)):
        return f"[{json.dumps(index)}]"
    return ""


def _resource_config(instance: PlanInstance, mode: str, kind: str, name: str) -> dict[str, Any]:
    local = f"data.{kind}.{name}" if mode == "data" else f"{kind}.{name}"
    for entry in _list(instance.config, "resources"):
        if entry.get("address") == local:
            return entry
    return {}


def _unknowns(document: dict[str, Any]) -> dict[str, Any]:
    """Address -> its ``after_unknown`` (``resource_changes``)."""
    found: dict[str, Any] = {}
    for change in _list(document, "resource_changes", required=False):
        detail = change.get("change")
        address = change.get("address")
        if isinstance(detail, dict) and isinstance(address, str):
            found[address] = detail.get("after_unknown", {})
    return found


class _Providers:
    """Region and default tags of each provider configuration key (``aws``, ``aws.dr``,
    ``module.net:aws``)."""

    def __init__(
        self, config: dict[str, Any], variables: dict[str, Any], modules: dict[str, Any]
    ) -> None:
        self.config = config
        self.variables = variables
        self.modules = modules  # configuration.root_module

    def of(self, key: str) -> tuple[str | None, dict[str, str]]:
        entry = self.config.get(key)
        if not isinstance(entry, dict):
            return None, {}
        expressions = entry.get("expressions")
        expressions = expressions if isinstance(expressions, dict) else {}
        module = entry.get("module_address")
        path = module_segments(module) if isinstance(module, str) and module else ()
        region = self._value(expressions.get("region"), path or ())
        tags: dict[str, str] = {}
        for block in _blocks(expressions.get("default_tags")):
            tags.update(string_map(self._value(block.get("tags"), path or ())))
        name = region if isinstance(region, str) and region.strip() else None
        return name, tags

    def _value(self, expression: Any, module: tuple[str, ...], hops: int = 0) -> Any:
        """A literal, or the value of the variable it names in ``module`` (a module declaring
        its own provider with ``region = var.region``: the caller's argument, up to the root
        variables)."""
        if not isinstance(expression, dict) or hops > len(module):
            return None
        if "constant_value" in expression:
            return expression["constant_value"]
        references = expression.get("references")
        if not isinstance(references, list) or len(references) != 1:
            return None
        reference = references[0]
        if not isinstance(reference, str) or not reference.startswith("var."):
            return None
        if not module:
            variable = self.variables.get(reference[4:])
            return variable.get("value") if isinstance(variable, dict) else None
        call = self._call(module)
        arguments = call.get("expressions") if call else None
        argument = arguments.get(reference[4:]) if isinstance(arguments, dict) else None
        return self._value(argument, module[:-1], hops)

    def _call(self, module: tuple[str, ...]) -> dict[str, Any] | None:
        """The ``module_calls`` entry of the module at ``module`` (keys ignored)."""
        config: Any = self.modules
        call: Any = None
        for segment in module:
            calls = config.get("module_calls") if isinstance(config, dict) else None
            call = calls.get(call_name(segment)) if isinstance(calls, dict) else None
            config = call.get("module") if isinstance(call, dict) else None
        return call if isinstance(call, dict) else None


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _blocks(value: Any) -> Iterator[dict[str, Any]]:
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            yield item


def _object(
    holder: dict[str, Any], key: str, *, required: bool = True, anchor: str = ""
) -> dict[str, Any]:
    value = holder.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise PlanShapeError(f"{key} must be a JSON object", key, anchor)
    return value


def _list(holder: dict[str, Any], key: str, *, required: bool = False) -> list[dict[str, Any]]:
    value = holder.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise PlanShapeError(f"{key} must be a list of JSON objects", key)
    return value
