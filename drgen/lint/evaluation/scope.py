"""A module instance's scope: variable values and locals, and resolving values in it.

Only the statically knowable subset of HCL is evaluated (see expressions.py);
anything else is UNKNOWN. drgen never guesses a value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace

from drgen.lint.evaluation.budget import EvaluationBudget
from drgen.lint.evaluation.expressions import evaluate
from drgen.lint.evaluation.shapes import shape_of
from drgen.lint.model.roots import Block, Expression, Value
from drgen.lint.model.values import ERROR, NOT_NULL, UNKNOWN, Resolved, Shaped, Unknown

# ``aws_kms_key.k.arn``, ``data.aws_iam_role.r[0].id``: attributes the provider always sets
_ALWAYS_SET = re.compile(
    r"(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.(?:arn|id)"
)
_SOLE_REFERENCE = re.compile(r"(var|local)\.([A-Za-z_][\w-]*)")

__all__ = ["UNKNOWN", "Resolved", "Scope", "block_references", "is_known", "references_in"]


class Scope:
    """Variable values and locals of one module instance.

    Every scope of a root shares the root's ``budget``; a scope built without one gets
    its own (tests, tfvars outside any root).
    """

    def __init__(
        self,
        variables: Mapping[str, Resolved],
        local_values: Mapping[str, Value],
        budget: EvaluationBudget | None = None,
    ):
        self.variables = variables
        self.local_values = local_values
        self.budget = budget if budget is not None else EvaluationBudget()
        self._resolving: set[str] = set()
        self._locals_done: dict[str, Resolved] = {}
        self._known: dict[tuple[str, str], bool] = {}  # is_known walks a value only once

    def resolve(self, value: Value) -> Resolved:
        """The value with every knowable expression evaluated; UNKNOWN if it has none.

        Inside lists and maps an unknown element stays the Expression it was, so a
        map of tags keeps its literal entries.
        """
        if not self.budget.afford():
            return UNKNOWN
        if isinstance(value, Expression):
            sole = _SOLE_REFERENCE.fullmatch(value.source)
            if sole:  # a plain var.x / local.x keeps the known parts of a partly known value
                kind, name = sole.groups()
                return self.variables.get(name, UNKNOWN) if kind == "var" else self._local(name)
            resolved = evaluate(value.source, self._lookup, budget=self.budget)
            if resolved is UNKNOWN and _ALWAYS_SET.fullmatch(value.source):
                return NOT_NULL
            if isinstance(resolved, Unknown) and resolved is not ERROR:
                shape = shape_of(value.source, self._resolve_source)
                if shape and self.budget.afford_walk(shape):  # shapes can double like templates
                    return Shaped(shape)
                return resolved
            return resolved
        if isinstance(value, list):
            return [_known_or_expression(self.resolve(v), v) for v in value]
        if isinstance(value, dict):
            return {k: _known_or_expression(self.resolve(v), v) for k, v in value.items()}
        return value

    def _resolve_source(self, source: str) -> Resolved:
        return self.resolve(Expression(source))

    def _lookup(self, kind: str, name: str) -> Resolved:
        """Inside a larger expression a value must be wholly known, or it is UNKNOWN."""
        value = self.variables.get(name, UNKNOWN) if kind == "var" else self._local(name)
        known = self._known.get((kind, name))
        if known is None:
            if not self.budget.afford_walk(value):
                return UNKNOWN
            known = is_known(value)
            if kind == "var" or name not in self._resolving:
                self._known[kind, name] = known
        return value if known or value is NOT_NULL else UNKNOWN

    def _local(self, name: str) -> Resolved:
        if name in self._locals_done:
            return self._locals_done[name]
        if name not in self.local_values or name in self._resolving:
            return UNKNOWN
        self._resolving.add(name)
        try:
            resolved = self.resolve(self.local_values[name])
        finally:
            self._resolving.discard(name)
        self._locals_done[name] = resolved
        return resolved


def resolve_block(block: Block, scope: Scope) -> Block:
    """A copy of ``block`` with every knowable value evaluated in ``scope``.

    ``multi_az = var.multi_az`` becomes ``True`` when the variable's value is known;
    what stays unknown (resource attributes, ``each.value``) keeps its Expression.
    """
    return Block(
        block.type,
        block.labels,
        {name: _known_or_expression(scope.resolve(v), v) for name, v in block.attributes.items()},
        [resolve_block(nested, scope) for nested in block.blocks],
        block.line,
        block.end_line,
        dict(block.attribute_lines),
    )


def _known_or_expression(resolved: Resolved, original: Value) -> Value:
    """The known value, else the expression as written (with its shape, when it has one)."""
    if isinstance(resolved, Shaped) and isinstance(original, Expression):
        return replace(original, shape=resolved.shape)
    return original if isinstance(resolved, Unknown) else resolved


def is_known(value: Resolved) -> bool:
    """True when ``value`` holds no unknown part anywhere."""
    if isinstance(value, (Unknown, Expression)):
        return False
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


def references_in(value: Value) -> Iterator[str]:
    """Every traversal mentioned anywhere in a value."""
    if isinstance(value, Expression):
        yield from value.references
    elif isinstance(value, list):
        for item in value:
            yield from references_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from references_in(item)


def block_references(block: Block) -> Iterator[str]:
    """Every traversal in a block's attributes and nested blocks."""
    for value in block.attributes.values():
        yield from references_in(value)
    for nested in block.blocks:
        yield from block_references(nested)
