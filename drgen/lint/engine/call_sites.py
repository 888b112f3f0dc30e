"""Where a finding inside a module comes from: the ``module`` block whose arguments set the
value at fault.

A finding on a resource inside a module names a call site when the attribute on the
finding's line (for a nested block's line, any attribute inside that block) refers to a
variable of the module, directly, through the module's locals or through the collection its
iterator walks (``each.value``, a dynamic block's ``replica.value``), that the call sets. Through
nested modules the chain is followed to the root's own ``module`` block, or stops at the
``module`` block where the value is no longer a variable (a literal written in an
intermediate module): that block passes the value at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from drgen.lint.evaluation.scope import references_in
from drgen.lint.model.roots import Block, CallSite, Expression, Resource, Root, Value

_NAMED = re.compile(r"^(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)")


def call_site(root: Root, resource: Resource, line: int) -> str:
    """``file:line`` of the module block passing the value at ``line``; "" when none does."""
    if not resource.module_path or line == resource.line:
        return ""
    home = root.home(resource)  # a check may report a resource of a linked root
    iterators = {"each": resource.body.get("for_each")}
    values = _values_at(resource.body, line, iterators)
    path = resource.module_path
    site = _passing(home, path, _variables(home, path, values))
    return f"{site.file}:{site.line}" if site is not None else ""


def _values_at(block: Block, line: int, iterators: dict[str, Value]) -> list[Value]:
    """The values of the attributes written on ``line`` (all of a nested block starting there),
    with the ``for_each`` of every iterator they use (``each``, a dynamic block's)."""
    found = [v for name, v in block.attributes.items() if block.attribute_lines.get(name) == line]
    for nested in block.blocks:
        inner = iterators
        if nested.type == "dynamic" and nested.labels:
            iterator = nested.get("iterator")
            name = iterator.source if isinstance(iterator, Expression) else iterator
            inner = {**iterators, str(name or nested.labels[0]): nested.get("for_each")}
        if nested.line == line:
            found.extend(_with_iterators(_every_value(nested), inner))
        elif nested.line < line <= nested.end_line:
            found.extend(_values_at(nested, line, inner))
    return _with_iterators(found, iterators)


def _with_iterators(values: list[Value], iterators: dict[str, Value]) -> list[Value]:
    """``values`` and the collections their iterators walk (``r.value.x`` reads ``r``'s)."""
    found = list(values)
    pending = list(values)
    used: set[str] = set()
    while pending:
        for reference in references_in(pending.pop()):
            name = reference.split(".", 1)[0]
            if name in iterators and name not in used:
                used.add(name)
                found.append(iterators[name])
                pending.append(iterators[name])
    return found


def _every_value(block: Block) -> list[Value]:
    found = list(block.attributes.values())
    for nested in block.blocks:
        found.extend(_every_value(nested))
    return found


def _variables(root: Root, path: tuple[str, ...], values: Iterable[Value]) -> set[str]:
    """The variables of the module at ``path`` the values refer to, through its locals."""
    site = root.calls.get(path)
    module_locals = site.locals if site is not None else {}
    names: set[str] = set()
    seen: set[str] = set()
    pending = [reference for value in values for reference in references_in(value)]
    while pending:
        match = _NAMED.match(pending.pop())
        if match is None:
            continue
        kind, name = match.groups()
        if kind == "var":
            names.add(name)
        elif name not in seen and name in module_locals:
            seen.add(name)
            pending.extend(references_in(module_locals[name]))
    return names


def _passing(root: Root, path: tuple[str, ...], names: set[str]) -> CallSite | None:
    """The outermost module call on the chain that sets one of ``names``."""
    outer: CallSite | None = None
    while path and names:
        site = root.calls.get(path)
        if site is None:
            break
        given = [site.arguments[name] for name in sorted(names) if name in site.arguments]
        if not given:
            break
        outer = site
        path = path[:-1]
        names = _variables(root, path, given) if path else set()
    return outer
