"""The pure Terraform functions static evaluation understands (all others are UNKNOWN)."""

from __future__ import annotations

from collections.abc import Callable

from drgen.lint.model.values import ERROR, UNKNOWN, Resolved

Function = Callable[[list[Resolved]], Resolved]


def _length(args: list[Resolved]) -> Resolved:
    (value,) = args
    return len(value) if isinstance(value, (list, dict, str)) else UNKNOWN


def _keys(args: list[Resolved]) -> Resolved:
    (value,) = args
    return sorted(value) if isinstance(value, dict) else UNKNOWN  # type: ignore[return-value]


def _values(args: list[Resolved]) -> Resolved:
    (value,) = args
    return [value[k] for k in sorted(value)] if isinstance(value, dict) else UNKNOWN


def _toset(args: list[Resolved]) -> Resolved:
    (value,) = args
    if not isinstance(value, list) or any(isinstance(v, (list, dict)) for v in value):
        return UNKNOWN
    return list(dict.fromkeys(value))


def _same_kind(kind: type) -> Function:
    def convert(args: list[Resolved]) -> Resolved:
        (value,) = args
        return value if isinstance(value, kind) else UNKNOWN

    return convert


def _concat(args: list[Resolved]) -> Resolved:
    if not all(isinstance(a, list) for a in args):
        return UNKNOWN
    return [item for a in args for item in a]  # type: ignore[union-attr]


def _merge(args: list[Resolved]) -> Resolved:
    merged: dict[str, Resolved] = {}
    for argument in args:
        if argument is None:
            continue
        if not isinstance(argument, dict):
            return UNKNOWN
        merged.update(argument)
    return merged  # type: ignore[return-value]


def _coalesce(args: list[Resolved]) -> Resolved:
    return next((a for a in args if a is not None and a != ""), UNKNOWN)


def _contains(args: list[Resolved]) -> Resolved:
    collection, item = args
    return item in collection if isinstance(collection, list) else UNKNOWN


def _case(method: Callable[[str], str]) -> Function:
    def convert(args: list[Resolved]) -> Resolved:
        (value,) = args
        return method(value) if isinstance(value, str) else UNKNOWN

    return convert


def _try(args: list[Resolved]) -> Resolved:
    """The first argument that does not fail; an unknown one before it makes it unknown."""
    return next((a for a in args if a is not ERROR), ERROR)


def _can(args: list[Resolved]) -> Resolved:
    (value,) = args
    if value is ERROR:
        return False
    return UNKNOWN if value is UNKNOWN else True


def _lookup(args: list[Resolved]) -> Resolved:
    """``lookup(map, key, default)``; without a default a missing key is an error."""
    collection, key, *default = args
    if len(default) > 1 or not isinstance(collection, dict) or not isinstance(key, str):
        return UNKNOWN
    if key in collection:
        return collection[key]
    return default[0] if default else ERROR


def _range(args: list[Resolved]) -> Resolved:
    """``range(limit)``, ``range(start, limit)``, ``range(start, limit, step)`` on integers."""
    if not 1 <= len(args) <= 3 or not all(_is_int(a) for a in args):
        return UNKNOWN
    numbers: list[int] = args  # type: ignore[assignment]
    start, limit = (0, numbers[0]) if len(numbers) == 1 else (numbers[0], numbers[1])
    step = numbers[2] if len(numbers) == 3 else (1 if limit >= start else -1)
    if step == 0 or (limit - start) * step < 0:
        return ERROR  # Terraform rejects a step that never reaches the limit
    if -((start - limit) // step) > _RANGE_LIMIT:  # the length, before building anything
        return ERROR
    return list(range(start, limit, step))


_RANGE_LIMIT = 1024  # Terraform refuses to build longer ranges


def _is_int(value: Resolved) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


FUNCTIONS: dict[str, Function] = {
    "length": _length,
    "keys": _keys,
    "values": _values,
    "toset": _toset,
    "tolist": _same_kind(list),
    "tomap": _same_kind(dict),
    "concat": _concat,
    "merge": _merge,
    "coalesce": _coalesce,
    "contains": _contains,
    "lower": _case(str.lower),
    "upper": _case(str.upper),
    "try": _try,
    "can": _can,
    "range": _range,
    "lookup": _lookup,
}
ERROR_AWARE = frozenset({"try", "can"})  # functions that receive failing arguments
