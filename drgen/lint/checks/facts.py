"""Read DR facts off the model: nested values, flags, the resources a value points at, regions.

Facts are three-valued where the Terraform may not say: ``True``/``False`` when it does,
``None`` when the value is an expression drgen cannot evaluate (a check then stays silent,
or reports an unresolved case under ``--strict``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from drgen.lint.checks.dynamic_blocks import first, nested
from drgen.lint.evaluation.scope import block_references, references_in
from drgen.lint.model.roots import Block, Expression, Resource, Root, Value
from drgen.lint.topology.links import NATURAL_ID, NATURAL_ID_OF_DATA, literal_text

_KEY = "aws_kms_key"
_GLOBAL_NAMES = frozenset(
    {
        "aws_s3_bucket",
        "aws_rds_global_cluster",
        "aws_docdb_global_cluster",
        "aws_neptune_global_cluster",
    }
)
_ALIAS = "aws_kms_alias"
_NOT_RESOURCES = {"var", "local", "module", "each", "count", "path", "self", "terraform"}
_INSTANCE_PICKERS = {"each", "count", "path", "self", "terraform"}
_INDEX = re.compile(r"\[[^\]]*\]")
_REMOTE_OUTPUT = re.compile(
    r"data\.terraform_remote_state\.(?P<name>[\w-]+)"
    r"(?:\.outputs(?:\.(?P<output>[\w-]+)|\[\"(?P<quoted>[\w-]+)\"\])?)?"
)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ARN_REGION = re.compile(
    r"^arn:(?:aws[a-z-]*|\$\{partition\}):[a-z0-9-]+:([a-z]{2}(?:-gov)?-[a-z]+-[0-9]):"
)


def blocks_at(block: Block, path: str) -> list[Block]:
    """Every nested block along a dotted path: ``rule.destination`` -> destinations of all rules."""
    current = [block]
    for name in path.split("."):
        current = [child for parent in current for child in nested(parent, name)]
    return current


def _descend(block: Block, path: str) -> tuple[Block, str | None, str]:
    """Follow a dotted path's steps through the first nested block of each name.

    Returns the deepest block reached, the step that named no nested block (None when
    every step did) and the path's last name.
    """
    *steps, name = path.split(".")
    for step in steps:
        child = first(block, step)
        if child is None:
            return block, step, name
        block = child
    return block, None, name


def value_at(block: Block, path: str) -> Value:
    """The attribute at a dotted path through the first nested block of each name."""
    deepest, missing, name = _descend(block, path)
    if missing is not None:
        attribute = deepest.get(missing)  # an object-valued argument such as ``tags``
        return attribute.get(name) if isinstance(attribute, dict) else None
    return deepest.get(name)


def value_line(block: Block, path: str) -> int:
    """Line of the attribute at a dotted path, falling back to the deepest block found."""
    deepest, missing, name = _descend(block, path)
    return deepest.line if missing is not None else deepest.line_of(name)


def has(block: Block, path: str) -> bool:
    """Whether an attribute or nested block is written at ``path``."""
    deepest, missing, name = _descend(block, path)
    if missing is not None:
        attribute = deepest.get(missing)  # an object-valued argument such as ``tags``
        return isinstance(attribute, dict) and name in attribute
    return name in deepest.attributes or first(deepest, name) is not None


def is_set(block: Block, path: str) -> bool | None:
    """Whether an argument (or nested block) is given a non-null value.

    None when it is an expression that may evaluate to null, as module code's
    ``replicate_source_db = var.replicate_source_db`` does unless the caller sets it.
    """
    if not has(block, path):
        return False
    if blocks_at(block, path):
        return True
    value = value_at(block, path)
    if value is None:
        return False
    if isinstance(value, Expression) and not all(map(_names_a_resource, value.references)):
        return None
    return True


def truth(value: Value, default: bool = False) -> bool | None:
    """``true``/``"true"`` -> True, ``false`` -> False, absent -> default, expression -> None."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def text(value: Value) -> str | None:
    """A literal string (or number) as text; None for expressions and absent values."""
    if isinstance(value, bool) or value is None or isinstance(value, Expression | list | dict):
        return None
    return str(value)


def is_enabled(block: Block | None, attribute: str = "status") -> bool | None:
    """An ``Enabled``/``Disabled`` status (or a boolean ``enabled``) of an optional block."""
    if block is None:
        return False
    value = block.get(attribute)
    literal = text(value)
    if literal is not None:
        return literal.lower() in ("enabled", "true")
    return truth(value)


def targets(root: Root, source: Resource, value: Value, *types: str) -> list[Resource]:
    """Resources (of ``types``) that ``value`` refers to, by reference or by a literal id/ARN.

    References resolve in ``source``'s own root; literal ids and ARNs (and shapes, see
    drgen/lint/evaluation/shapes.py) match resources of every root linked with it.
    """
    found: dict[tuple[str, str], Resource] = {}
    home = root.home(source)
    reached: list[Resource] = []
    for reference in references_in(value):
        reached.extend(_resolve(home, source, reference, types) or ())
    for literal in _literals(value):
        # a legacy global table names its table in every replica region
        region = None if source.type == "aws_dynamodb_global_table" else source.region
        reached.extend(_named(home, literal, types, region))
    for target in reached:
        for final in _read_through(home, target, types):
            found[(home.home(final).directory, final.address)] = final
    return [found[key] for key in sorted(found)]


def _named(root: Root, literal: str, types: tuple[str, ...], region: str | None) -> list[Resource]:
    """Resources here or in a linked root whose natural id (or its ARN) is ``literal``; a KMS
    alias stands for its key. Names other than buckets' and global clusters' are unique per
    region only: the one meant is in the ARN's region, else in ``region`` (the region of
    whoever names it)."""
    wanted = types or tuple(NATURAL_ID)
    if _KEY in wanted:
        wanted = (*wanted, _ALIAS)
    where = arn_region(literal) or region
    return [
        c
        for c in root.linked_of_type(*wanted)
        if _names(c, literal)
        and (c.type in _GLOBAL_NAMES or other_region(c.region, where) is not True)
    ]


def _read_through(root: Root, target: Resource, types: tuple[str, ...]) -> list[Resource]:
    """``target`` itself, or what it stands for: the managed resource a data source reads by
    its literal id (in this or a linked root), the key a KMS alias names."""
    if target.mode == "data" and target.type in NATURAL_ID_OF_DATA:
        literal = target.values.get(NATURAL_ID_OF_DATA[target.type])
        read = [
            r
            for name in _literals(literal)
            for r in _named(root, name, (target.type,), target.region)
        ]
        if read:
            return [f for r in read for f in _read_through(root, r, types)]
    if target.type == _ALIAS and _KEY in types and target.mode == "managed":
        home = root.home(target)
        key = target.values.get("target_key_id")
        return [k for r in references_in(key) for k in _resolve(home, target, r, (_KEY,)) or ()]
    return [target] if not types or target.type in types else []


def names_outside(root: Root, source: Resource, value: Value, *types: str) -> bool:
    """Whether ``value`` is a literal id/ARN (or shape) naming no resource drgen scanned:
    something outside the repository, whose region drgen cannot see."""
    home = root.home(source)
    literals = list(_literals(value))
    return bool(literals) and not any(
        _names(candidate, literal)
        for literal in literals
        for candidate in home.linked_of_type(*(types or tuple(NATURAL_ID)))
    )


def is_resolvable(root: Root, source: Resource, value: Value, *types: str) -> bool:
    """Whether every reference in ``value`` leads to a known resource (literals always do).

    ``count.index``, ``each.key`` and kin only pick an instance: ignored beside a resource
    reference, unknown on their own (``bucket = each.value``).
    """
    references = list(references_in(value))
    meaningful = [r for r in references if r.split(".")[0] not in _INSTANCE_PICKERS]
    if references and not meaningful:
        return False
    return all(_resolve(root, source, r, types) is not None for r in meaningful)


def _resolve(
    root: Root, source: Resource, reference: str, types: tuple[str, ...]
) -> list[Resource] | None:
    """The resources a traversal leads to; None when drgen cannot tell (a variable it cannot
    follow, a dynamic block's iterator, a resource that does not exist)."""
    head = reference.split(".")[0]
    if head in _INSTANCE_PICKERS:
        return []
    if head in ("var", "local", "module"):
        return _through_graph(root, source, reference, types) or None
    remote = _REMOTE_OUTPUT.match(reference)
    if remote is not None:
        output = remote.group("output") or remote.group("quoted")
        prefix = "".join(f"module.{m}." for m in source.module_path)
        state = f"{prefix}data.terraform_remote_state.{remote.group('name')}"
        return _remote_output(root, state, output, types)
    address = _address(source, reference)
    target = root.by_address(address) if address else None
    return [target] if target is not None else None


def _remote_output(
    root: Root, state: str, output: str | None, types: tuple[str, ...]
) -> list[Resource] | None:
    """What output ``output`` of the ``terraform_remote_state`` at address ``state`` refers to
    in the root whose state it reads; without an output name, the one resource of ``types``
    any output names."""
    remote = root.remote_states.get(state)
    if remote is None:
        return None
    names = [output] if output is not None else sorted(remote.outputs)
    # one resource named by several outputs (its dns_name, zone_id, arn) is still one
    found = list(
        {
            a: r
            for n in names
            for a in sorted(remote.outputs.get(n, ()))
            if (r := remote.by_address(a)) is not None and (not types or r.type in types)
        }.values()
    )
    if output is None and len(found) != 1:
        return None
    return found or None


def _through_graph(
    root: Root, source: Resource, reference: str, types: tuple[str, ...]
) -> list[Resource]:
    """The resource a ``var.``/``local.``/``module.`` reference leads to, from the root's graph.

    The graph links whole resources, not attributes, so this answers only when exactly one
    resource of the wanted types fits: for ``module.m.output`` one inside module ``m``, else
    one that no direct reference in the block names.
    """
    parts = reference.split(".")
    prefix = "".join(f"module.{m}." for m in source.module_path)
    if parts[0] == "module" and len(parts) > 1:
        inside = f"{prefix}module.{_INDEX.sub('', parts[1])}."
        fits = [r for r in root.referenced_by(source) if r.address.startswith(inside)]
    else:
        direct = {_address(source, r) for r in block_references(source.body)}
        fits = [r for r in root.referenced_by(source) if r.address not in direct]
    candidates = [r for r in fits if not types or r.type in types]
    for state in (r for r in fits if r.type == "terraform_remote_state"):
        candidates.extend(_remote_output(root, state.address, None, types) or ())
    return candidates if len(candidates) == 1 else []


def may_denote(root: Root, source: Resource, value: Value, target: Resource) -> bool:
    """Whether a value drgen cannot resolve may still stand for ``target``: it does when a
    reference chain of ``source`` (the reference graph follows variables, locals and module
    outputs) reaches ``target`` or what its name is built from, or when the value itself builds
    a string. A chain that ends in another root's state or an unset variable names no resource
    of this root."""
    if any(m.group(1) for e in _expressions(value) for m in _STRING.finditer(e.source)):
        return True
    home = root.home(source)
    if home is not root.home(target):
        return False
    reached = home.references.get(source.address, set())
    if target.address in reached:
        return True
    # a name built from parts the value's chain also uses (``random_pet.x.id`` in both)
    name = target.values.get(NATURAL_ID.get(target.type, ""))
    built_from = home.references.get(target.address, set())
    return isinstance(name, Expression) and bool(built_from & reached)


def _expressions(value: Value) -> Iterator[Expression]:
    if isinstance(value, Expression):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _expressions(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _expressions(item)


def pointing_at(root: Root, target: Resource, types: tuple[str, ...], path: str) -> list[Resource]:
    """Resources of ``types`` whose attribute at ``path`` refers to ``target``."""
    return [
        r
        for r in root.linked_of_type(*types)
        if any(t is target for t in targets(root, r, value_at(r.values, path), target.type))
    ]


def unresolved_pointers(root: Root, types: tuple[str, ...], path: str) -> bool:
    """Whether some resource of ``types`` has an attribute at ``path`` drgen cannot follow
    (so it may point at any resource)."""
    return any(
        not is_resolvable(root, r, value_at(r.values, path)) for r in root.linked_of_type(*types)
    )


def other_region(a: str | None, b: str | None) -> bool | None:
    """Whether two resolved regions differ; None when either is unknown."""
    if a is None or b is None:
        return None
    return a != b


def arn_region(value: Value) -> str | None:
    literal = text(value) or (value.shape if isinstance(value, Expression) else None)
    found = _ARN_REGION.match(literal) if literal else None
    return found.group(1) if found else None


def _literals(value: Value) -> Iterator[str]:
    """Literal strings in a value, and the shapes of unknown ones."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Expression) and value.shape:
        yield value.shape
    elif isinstance(value, list):
        for item in value:
            yield from _literals(item)


def _names_a_resource(reference: str) -> bool:
    """``aws_kms_key.x.arn`` or ``data.aws_x.y.z``: never null. A variable, or a dynamic
    block's iterator (``replica.value``, no provider prefix), may be."""
    parts = _address_parts(reference)
    return parts is not None and "_" in parts[-2]


def _address_parts(reference: str) -> tuple[str, ...] | None:
    parts = _INDEX.sub("", reference).split(".")
    if parts[0] in _NOT_RESOURCES:
        return None
    if parts[0] == "data":
        return tuple(parts[:3]) if len(parts) >= 3 else None
    return tuple(parts[:2]) if len(parts) >= 2 else None


def _address(source: Resource, reference: str) -> str | None:
    parts = _address_parts(reference)
    if parts is None:
        return None
    return "".join(f"module.{m}." for m in source.module_path) + ".".join(parts)


def _names(candidate: Resource, literal: str) -> bool:
    natural = literal_text(candidate.values.get(NATURAL_ID.get(candidate.type, "")))
    if not natural:
        return False
    return literal == natural or literal.endswith((f":{natural}", f"/{natural}"))
