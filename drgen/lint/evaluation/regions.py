"""Provider configurations per module instance, and the region each resource lands in.

Rules follow Terraform (AWS provider v6): a resource uses the configuration named
by its ``provider`` meta-argument, else the default one of its provider; its own
``region`` argument (new in v6) overrides the configuration's region. A child
module gets the configurations its call's ``providers`` map passes, else the
parent's default ones; its own provider blocks (legacy style) take precedence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drgen.lint.evaluation.scope import Scope
from drgen.lint.model.roots import Block, Expression, Value

_PROVIDER_PAIR = re.compile(
    r"([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)?)\s*[=:]\s*([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)?)"
)


@dataclass(frozen=True)
class ProviderConfig:
    address: str  # where it is declared: "aws", "aws.west", "module.net.aws"
    region: str | None
    default_tags: dict[str, str] = field(default_factory=dict)


Providers = dict[str, ProviderConfig]  # local name ("aws", "aws.west") -> configuration


def declared_providers(blocks: list[Block], scope: Scope, module_prefix: str) -> Providers:
    """The provider blocks of one module instance, resolved in its scope."""
    configs: Providers = {}
    for block in blocks:
        alias = scope.resolve(block.get("alias"))
        local = f"{block.labels[0]}.{alias}" if isinstance(alias, str) else block.labels[0]
        region = scope.resolve(block.get("region"))
        default_tags = block.first("default_tags")
        tags = string_map(scope.resolve(default_tags.get("tags"))) if default_tags else {}
        configs[local] = ProviderConfig(module_prefix + local, _region_name(region), tags)
    return configs


def passed_providers(call: Block, parent: Providers) -> Providers:
    """What a module call hands its child: the ``providers`` map, else parent defaults."""
    mapping = call.get("providers")
    if mapping is None:
        return {name: config for name, config in parent.items() if "." not in name}
    passed: Providers = {}
    for child_name, parent_name in _provider_pairs(mapping):
        if parent_name in parent:
            passed[child_name] = parent[parent_name]
        else:
            passed[child_name] = ProviderConfig(parent_name, None)
    return passed


def _provider_pairs(mapping: Value) -> list[tuple[str, str]]:
    if isinstance(mapping, dict):
        return [
            (key, value.source if isinstance(value, Expression) else str(value))
            for key, value in mapping.items()
        ]
    if isinstance(mapping, Expression):
        return _PROVIDER_PAIR.findall(mapping.source)
    return []


def provider_name(resource_type: str, meta: Value) -> str:
    """The local provider configuration a resource uses (``aws`` or ``aws.west``)."""
    if isinstance(meta, Expression):
        return meta.source
    if isinstance(meta, str):
        return meta
    return resource_type.split("_", 1)[0]


def resource_config(name: str, providers: Providers) -> ProviderConfig:
    return providers.get(name) or ProviderConfig(name, None)


def resource_region(body: Block, config: ProviderConfig, scope: Scope) -> str | None:
    """The v6 ``region`` argument when set (None if unresolvable), else the config's.

    ``region = null`` (often ``var.region`` defaulting to null) means "the provider's".
    """
    region = scope.resolve(body.attributes.get("region"))
    if region is None:
        return config.region
    return _region_name(region)


def _region_name(value: object) -> str | None:
    """A region name, or None: ``region = ""`` (a common variable default) leaves the
    choice to the environment (AWS_REGION, the profile), which drgen cannot see."""
    return value if isinstance(value, str) and value.strip() else None


def string_map(value: object) -> dict[str, str]:
    """The literal string entries of a tags map (numbers and bools as Terraform prints them)."""
    if not isinstance(value, dict):
        return {}
    result: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, bool):
            result[key] = "true" if item else "false"
        elif isinstance(item, (str, int, float)):
            result[key] = str(item)
    return result
