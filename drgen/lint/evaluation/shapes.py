"""Shapes: strings known up to parts that are the same in every root of one account.

Split stacks name each other's resources by deterministic names, often with the account id
or partition interpolated (``"app-dr-${data.aws_caller_identity.current.account_id}"``). Such a
value is unknown, but two roots of one repository that write the same shape mean the same
name, so it can link them. A shape writes the invariant parts as ``${account}`` and
``${partition}``; any other unknown part means the value has no shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from drgen.lint.evaluation.expressions import template_spans
from drgen.lint.frontends.hcl_text import unescape_quoted
from drgen.lint.model.values import Resolved, Shaped

_INVARIANTS = (
    (re.compile(r"data\.aws_caller_identity\.[A-Za-z_][\w-]*\.account_id"), "${account}"),
    (re.compile(r"data\.aws_partition\.[A-Za-z_][\w-]*\.partition"), "${partition}"),
)

ResolveSource = Callable[[str], Resolved]  # expression text -> its value in the scope


def shape_of(source: str, resolve: ResolveSource) -> str | None:
    """The shape of an expression drgen could not evaluate, or None when it has none."""
    text = source.strip()
    for pattern, placeholder in _INVARIANTS:
        if pattern.fullmatch(text):
            return placeholder
    if len(text) < 2 or text[0] != '"' or text[-1] != '"' or "%{" in text:
        return None
    raw = text[1:-1]
    spans = template_spans(raw)
    if not spans:
        return None
    pieces: list[str] = []
    index = 0
    for start, end in spans:
        pieces.append(unescape_quoted(raw[index:start]))
        part = _as_text(resolve(raw[start + 2 : end - 1].strip(" ~")))
        if part is None:
            return None
        pieces.append(part)
        index = end
    pieces.append(unescape_quoted(raw[index:]))
    return "".join(pieces)


def _as_text(value: Resolved) -> str | None:
    if isinstance(value, Shaped):
        return value.shape
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None
