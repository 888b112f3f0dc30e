"""DR005: AWS Backup plan rules that never copy a recovery point to another region.

A rule's recovery points land in a vault of the plan's own region; only a ``copy_action`` whose
``destination_vault_arn`` is a vault (or a literal ARN) in another region survives a region
loss. Each such rule is its own finding, on the rule's line.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.backup import vault_region
from drgen.lint.checks.dynamic_blocks import nested, optional_nested
from drgen.lint.checks.facts import other_region, text
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Resource, Root


def check_plan_copies_cross_region(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for plan in root.of_type("aws_backup_plan"):
        for position, rule in enumerate(nested(plan.values, "rule"), start=1):
            copies = copies_elsewhere(root, plan, rule)
            if copies:
                continue
            name = text(rule.get("rule_name"))
            where = f"{plan.address} ({plan.region or 'region unknown'}), rule " + (
                repr(name) if name else f"#{position}"
            )
            if copies is None:
                yield Violation(
                    plan,
                    f"{where}: cannot tell whether it copies to a vault in another region",
                    line=rule.line,
                    unresolved=True,
                    kind="undecided-copy",
                )
                continue
            yield Violation(
                plan,
                f"{where} {_what_it_does(rule)}: its recovery points are lost with the region. "
                "Add a copy_action whose destination_vault_arn is an aws_backup_vault in another "
                "region (provider alias or `region` argument).",
                line=rule.line,
                kind=f"rule-never-copies:{name or position}",
            )


def copies_elsewhere(root: Root, plan: Resource, rule: Block) -> bool | None:
    """True when some copy_action surely lands in another region, False when surely none does.

    A ``dynamic "copy_action"`` over a collection drgen cannot evaluate may iterate zero times:
    its copy to another region is only a maybe.
    """
    maybe_absent = optional_nested(rule, "copy_action")
    unknown = False
    for copy in nested(rule, "copy_action"):
        differs = other_region(plan.region, vault_region(root, plan, copy))
        if differs and not any(copy is maybe for maybe in maybe_absent):
            return True
        unknown = unknown or differs is not False
    return None if unknown else False


def _what_it_does(rule: Block) -> str:
    if nested(rule, "copy_action"):
        return "copies only to vaults in its own region"
    return "has no copy_action"
