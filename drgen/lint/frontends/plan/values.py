"""One resource of a ``terraform show -json`` plan -> model Blocks, as written and evaluated.

Three views of a resource meet here: its ``configuration`` expressions (what was written, per
module: ``{"constant_value": ...}`` or ``{"references": [...]}`` per argument, a list of such
objects per nested block), its planned values (``planned_values``) and ``after_unknown`` (the
same shape, ``true`` where a value is known only after apply). An argument nobody wrote (a
provider default or a computed attribute) is left out, as the HCL front ends leave it out; a
nested block that the configuration does not show but the plan holds is a ``dynamic`` block's
iteration and is kept with everything it sets. Unknown values become an ``Expression`` naming
the traversals the configuration gives for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drgen.lint.model.roots import Block, Expression, Value

UNKNOWN_SOURCE = "(known after apply)"


def plan_blocks(
    block_type: str,
    labels: tuple[str, ...],
    config: Mapping[str, Any] | None,
    planned: Any,
    unknown: Any,
    line: int,
    *,
    read: bool = False,
) -> tuple[Block, Block]:
    """The block as written (references stay expressions) and as the plan evaluates it;
    ``read``: a data source Terraform read while planning, whose evaluated block keeps every
    value it read, written or not."""
    written = _block(block_type, labels, config, planned, unknown, line, as_written=True)
    evaluated = _block(
        block_type, labels, None if read else config, planned, unknown, line, as_written=False
    )
    return written, evaluated


def expression(config: Any) -> Expression:
    """An unknown value, with the traversals its configuration expression mentions."""
    references = _references(config)
    source = references[0] if len(references) == 1 else UNKNOWN_SOURCE
    return Expression(source, references)


def _references(config: Any) -> tuple[str, ...]:
    """The traversals of one expression object, without those another one extends
    (``["aws_s3_bucket.b.arn", "aws_s3_bucket.b"]`` -> ``("aws_s3_bucket.b.arn",)``)."""
    found = config.get("references") if isinstance(config, dict) else None
    names = sorted({r for r in found if isinstance(r, str)}) if isinstance(found, list) else []
    return tuple(
        r for r in names if not any(o != r and o.startswith((r + ".", r + "[")) for o in names)
    )


def _block(
    block_type: str,
    labels: tuple[str, ...],
    config: Mapping[str, Any] | None,
    planned: Any,
    unknown: Any,
    line: int,
    *,
    as_written: bool,
) -> Block:
    block = Block(block_type, labels, {}, [], line, line)
    values = planned if isinstance(planned, dict) else {}
    unknowns: Any = unknown if isinstance(unknown, dict) else {}
    keys = dict.fromkeys([*(config or {}), *values, *unknowns])
    for key in keys:
        written = config.get(key) if config is not None else None
        value = values.get(key)
        not_known = True if unknown is True else unknowns.get(key)
        if isinstance(written, list) or (written is None and _is_block_list(value)):
            block.blocks.extend(
                _nested(key, written, value, not_known, line, as_written=as_written)
            )
        elif config is not None and written is None:
            continue  # not written: a default or computed attribute, absent in HCL too
        elif written is not None:
            block.attributes[key] = _written_value(written, value, not_known, as_written)
            block.attribute_lines[key] = line
        elif not_known is True or (value is not None and value != []):
            block.attributes[key] = _evaluated(value, not_known, None)
            block.attribute_lines[key] = line
    return block


def _nested(
    key: str, written: Any, value: Any, not_known: Any, line: int, *, as_written: bool
) -> list[Block]:
    """The nested blocks named ``key``: one per planned item, each matched to its written
    block by position when the counts agree, else to the union of the written ones."""
    configs = [c for c in written if isinstance(c, dict)] if isinstance(written, list) else []
    items = value if isinstance(value, list) else []
    if not items and not_known is True:
        items = [None] * len(configs)  # the values are unknown, the written structure is not
    unknowns = not_known if isinstance(not_known, list) else []
    union: dict[str, Any] = {}
    for entry in configs:
        for name, expr in entry.items():
            union.setdefault(name, expr)
    blocks: list[Block] = []
    for index, item in enumerate(items):
        config: dict[str, Any] | None = (
            configs[index] if len(configs) == len(items) else (union if configs else None)
        )
        item_unknown = True if not_known is True else _at(unknowns, index)
        blocks.append(_block(key, (), config, item, item_unknown, line, as_written=as_written))
    return blocks


def _written_value(written: Any, value: Any, not_known: Any, as_written: bool) -> Value:
    if as_written and _references(written):
        return expression(written)
    if as_written and isinstance(written, dict) and "constant_value" in written:
        return _literal(written["constant_value"])
    return _evaluated(value, not_known, written)


def _evaluated(value: Any, not_known: Any, written: Any) -> Value:
    """A planned value with every unknown part an Expression (``written``: its config)."""
    if not_known is True:
        return expression(written)
    if isinstance(value, dict):
        inner = not_known if isinstance(not_known, dict) else {}
        keys = dict.fromkeys([*value, *(k for k, v in inner.items() if v is True)])
        return {str(k): _evaluated(value.get(k), inner.get(k), written) for k in keys}
    if isinstance(value, list):
        inner_list = not_known if isinstance(not_known, list) else []
        length = max(len(value), len(inner_list))
        return [
            _evaluated(value[i] if i < len(value) else None, _at(inner_list, i), written)
            for i in range(length)
        ]
    return _literal(value)


def _literal(value: Any) -> Value:
    if isinstance(value, dict):
        return {str(k): _literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return None


def _at(items: list[Any], index: int) -> Any:
    return items[index] if index < len(items) else None


def _is_block_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
