"""Values shaped like AWS's, for the mocked plan of a root: inputs without a default and the
computed attributes of every resource and data source (``override_resource`` /
``override_data`` in a ``terraform test`` file).

The shape comes from the attribute's name alone (``arn`` and ``*_arn`` are ARNs in the block's
region, ``account_id`` an account, ...): the provider's validators (ARNs, account ids, regions)
then judge values a real apply would produce, where the mock's random strings would fail them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass
from typing import Any

from .real_provider_strip import KINDS, HclNode, top_level

ACCOUNT = "123456789012"
PARTITION = "aws"
POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})


@dataclass(frozen=True)
class Input:
    """A root variable the caller must set (it has no default)."""

    name: str
    type: str  # as written, e.g. "string"


@dataclass(frozen=True)
class Block:
    kind: str  # "resource" or "data"
    type: str
    name: str
    region: str  # its own ``region`` argument (provider 6.x) if it has one, else the root's

    @property
    def address(self) -> str:
        prefix = "data." if self.kind == "data" else ""
        return f"{prefix}{self.type}.{self.name}"


@dataclass(frozen=True)
class RootFacts:
    region: str  # the region of the root's aws provider, from its variable's default
    regions: dict[str, str]  # every "<prefix>_region" variable default, by prefix
    inputs: list[Input]
    blocks: list[Block]  # every resource and data block the cut root keeps


def _literal(expression: str) -> str | None:
    try:
        value = json.loads(expression)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, str) else None


def _attribute(block: HclNode, name: str) -> HclNode | None:
    return next((c for c in block.body() if not c.is_block and c.name == name), None)


def root_facts(files: Mapping[str, str], cut: Set[str]) -> RootFacts:
    """Facts of a root as rendered (``files``), for the blocks not in ``cut`` (addresses):
    a block's own ``region`` argument says where it lives even where 5.x cannot judge it."""
    defaults: dict[str, str] = {}
    inputs, region_expressions = [], []
    declared: list[tuple[str, str, str, str | None]] = []
    for text in files.values():
        for block in top_level(text):
            if block.name == "variable":
                default = _attribute(block, "default")
                if default is None:
                    typed = _attribute(block, "type")
                    type_text = typed.expression(text) if typed else "any"
                    inputs.append(Input(block.labels[0], type_text))
                elif (value := _literal(default.expression(text))) is not None:
                    defaults[block.labels[0]] = value
            elif block.name in KINDS:
                own = _attribute(block, "region")
                region = own.expression(text) if own else None
                declared.append((block.name, block.labels[0], block.labels[1], region))
            elif block.name == "provider" and block.labels == ["aws"]:
                assert _attribute(block, "alias") is None, "a root has one aws provider"
                argument = _attribute(block, "region")
                assert argument is not None, "the root's provider names its region"
                region_expressions.append(argument.expression(text))
    assert len(region_expressions) == 1, f"one aws provider per root, found {region_expressions}"
    root_region = _resolve(region_expressions[0], defaults)
    blocks = [
        Block(kind, type_name, name, _resolve(own, defaults) if own else root_region)
        for kind, type_name, name, own in declared
    ]
    regions = {
        name.removesuffix("_region"): value
        for name, value in defaults.items()
        if name.endswith("_region")
    }
    inputs.sort(key=lambda item: item.name)
    return RootFacts(root_region, regions, inputs, [b for b in blocks if b.address not in cut])


def _resolve(expression: str, defaults: Mapping[str, str]) -> str:
    """A region written as a literal or as a variable with a literal default."""
    region = defaults.get(expression.removeprefix("var."), _literal(expression))
    assert region is not None, f"the region {expression} has no literal value"
    return region


def shaped(name: str, type_name: str, region: str, label: str) -> str | None:
    """A value shaped like AWS's for attribute ``name`` of ``type_name`` (``aws_kms_alias``)
    in ``region``; None when the name says nothing about the shape."""
    service, _, kind = type_name.removeprefix("aws_").partition("_")
    if name == "arn" or name.endswith("_arn"):
        resource = name.removesuffix("arn").removesuffix("_") or kind or "resource"
        return f"arn:{PARTITION}:{service or 'service'}:{region}:{ACCOUNT}:{resource}/{label}"
    if name == "json" or name.endswith("_json"):
        return POLICY
    if name in ("account_id", "owner_id"):
        return ACCOUNT
    if name == "region" or name.endswith("_region"):
        return region
    if name == "partition":
        return PARTITION
    if name == "dns_suffix":
        return "amazonaws.com"
    if name.endswith("dns_name"):
        return f"{label}.{region}.elb.amazonaws.com"
    if name.endswith("zone_id"):
        return "Z" + label.upper().replace("_", "").replace("-", "")[:12].ljust(12, "0")
    return None


def _ec2_style_id(type_name: str, label: str) -> str:
    """EC2's id shape, its prefix the initials of the type's words (``aws_launch_template`` ->
    ``lt-...``, ``aws_security_group`` -> ``sg-...``), then 17 hex digits."""
    words = type_name.removeprefix("aws_").split("_")
    prefix = words[0] if len(words) == 1 else "".join(word[0] for word in words)
    return f"{prefix}-{label.encode().hex()[:17].ljust(17, '0')}"


def input_value(item: Input, facts: RootFacts) -> str:
    """An HCL literal for a variable without default, in its prefix's region when the root has
    a ``<prefix>_region`` (``secondary_load_balancer_dns_name``: the secondary region)."""
    prefix, _, rest = item.name.partition("_")
    region = facts.regions.get(prefix, facts.region)
    if item.type == "list(string)":
        singular = rest.removesuffix("s")
        return json.dumps([_input_string(singular, region, f"{prefix}{n}") for n in ("a", "b")])
    assert item.type == "string", f"no shaped value for {item.name} of type {item.type}"
    return json.dumps(_input_string(rest, region, prefix))


def _input_string(name: str, region: str, label: str) -> str:
    """``vpc_id`` -> ``vpc-...``: an EC2-style id names its kind; else the attribute's shape."""
    value = shaped(name, _type_for(name), region, label)
    if value is not None:
        return value
    if name.endswith("_id"):
        kind = name.removesuffix("_id").rsplit("_", 1)[-1]
        return f"{kind}-{label.encode().hex()[:17].ljust(17, '0')}"
    return f"drgen-{label}-{name.replace('_', '-')}"


def _type_for(name: str) -> str:
    """``autoscaling_group_arn`` -> ``aws_autoscaling_group`` (its service first)."""
    return "aws_" + name.rsplit("_", 1)[0]


def overrides(
    facts: RootFacts, module: str, provider: Mapping[str, Any]
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(``override_resource``/``override_data``, target, values) for every block of the root
    with a computed attribute whose name has a shape."""
    for block in facts.blocks:
        schema = provider[KINDS[block.kind]].get(block.type)
        if schema is None:
            continue
        values = {}
        for attribute, spec in sorted(schema["block"].get("attributes", {}).items()):
            if spec.get("computed") and spec.get("type") == "string":
                value = (
                    _ec2_style_id(block.type, block.name)
                    if attribute == "id" and block.kind == "resource"
                    else shaped(attribute, block.type, block.region, block.name)
                )
                if value is not None:
                    values[attribute] = value
        if values:
            kind = "override_data" if block.kind == "data" else "override_resource"
            yield kind, f"module.{module}.{block.address}", values
