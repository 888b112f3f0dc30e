"""DR022: AWS Backup lifecycles that keep cold-storage recovery points under 90 days.

AWS Backup stores a recovery point moved to cold storage for at least 90 days:
``delete_after`` must be at least ``cold_storage_after`` + 90, in a rule's ``lifecycle`` and in
a copy action's. CreateBackupPlan refuses anything shorter, so the plan (and every backup and
copy it would make) does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator

from drgen.lint.checks.facts import blocks_at
from drgen.lint.engine.run import CheckContext, Violation
from drgen.lint.model.roots import Block, Expression, Resource, Root

PLAN = "aws_backup_plan"
MINIMUM_COLD_DAYS = 90


def check_cold_storage_minimum(root: Root, ctx: CheckContext) -> Iterator[Violation]:
    for plan in root.of_type(PLAN):
        for path in ("rule.lifecycle", "rule.copy_action.lifecycle"):
            for lifecycle in blocks_at(plan.values, path):
                yield from _judge(plan, lifecycle, path.removeprefix("rule."))


def _judge(plan: Resource, lifecycle: Block, where: str) -> Iterator[Violation]:
    cold = lifecycle.get("cold_storage_after")
    delete = lifecycle.get("delete_after")
    if cold is None or delete is None:
        return  # never moved to cold storage, or never deleted
    if isinstance(cold, Expression) or isinstance(delete, Expression):
        yield Violation(
            plan, f"{plan.address}: cannot tell its {where} cold-storage days", unresolved=True
        )
        return
    if not (_days(cold) and _days(delete)):
        return  # not numbers Terraform would accept: not this policy's concern
    assert isinstance(cold, int) and isinstance(delete, int)
    if delete - cold < MINIMUM_COLD_DAYS:
        yield Violation(
            plan,
            f"{plan.address}: {where} moves recovery points to cold storage after {cold} days "
            f"and deletes them after {delete}, {delete - cold} days later: AWS Backup keeps a "
            f"cold recovery point at least {MINIMUM_COLD_DAYS} days and refuses the plan; set "
            f"delete_after to at least {cold + MINIMUM_COLD_DAYS} or drop cold_storage_after.",
            line=lifecycle.line_of("delete_after"),
        )


def _days(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
