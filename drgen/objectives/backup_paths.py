"""Scheduled cross-region copies of a resource: AWS Backup plan rules and DLM snapshot policies.

Each gives RPO = the schedule's longest gap + the copy time, and RTO = a restore. A rule
without ``schedule`` runs on AWS Backup's default, daily (``cron(0 5 ? * * *)``, from the
BackupRule.ScheduleExpression API reference).
"""

from __future__ import annotations

from dataclasses import dataclass

from drgen.lint.checks.backup import selects, vault_region
from drgen.lint.checks.facts import other_region, targets, text, value_at
from drgen.lint.model.roots import Block, Resource, Root
from drgen.objectives.figures import Range, figure
from drgen.objectives.report import human_duration
from drgen.objectives.schedule import ScheduleError, interval_seconds

DEFAULT_SCHEDULE = "cron(0 5 ? * * *)"
_DLM_TYPE = {"aws_ebs_volume": "VOLUME", "aws_instance": "INSTANCE"}


@dataclass(frozen=True)
class RecoveryPath:
    rpo: Range
    rto: Range
    basis: str  # e.g. "AWS Backup aws_backup_plan.daily rule daily every 1d + cross-region copy"


def backup_paths(
    root: Root, resource: Resource, paths: list[RecoveryPath], unknowns: list[str]
) -> None:
    """Add every scheduled cross-region copy of ``resource`` to ``paths`` (or to ``unknowns``)."""
    for selection in root.of_type("aws_backup_selection"):
        selected = selects(root, selection, resource)
        if selected is None:
            unknowns.append(f"whether {selection.address} selects {resource.address}")
        if not selected:
            continue
        for plan in targets(root, selection, selection.body.get("plan_id"), "aws_backup_plan"):
            for rule in plan.values.blocks_named("rule"):
                name = f"AWS Backup {plan.address} rule {text(rule.get('rule_name')) or '?'}"
                regions = {
                    other_region(resource.region, vault_region(root, plan, action))
                    for action in rule.blocks_named("copy_action")
                }
                schedule = rule.get("schedule", DEFAULT_SCHEDULE)
                _add(name, regions, text(schedule), paths, unknowns)
    if resource.type in _DLM_TYPE:
        _dlm_paths(root, resource, paths, unknowns)


def _dlm_paths(
    root: Root, resource: Resource, paths: list[RecoveryPath], unknowns: list[str]
) -> None:
    for policy in root.of_type("aws_dlm_lifecycle_policy"):
        details = policy.body.first("policy_details")
        if details is None or not _dlm_targets(details, resource):
            continue
        for schedule in details.blocks_named("schedule"):
            name = f"DLM {policy.address} schedule {text(schedule.get('name')) or '?'}"
            regions = {
                other_region(resource.region, text(r.get("target") or r.get("target_region")))
                for r in schedule.blocks_named("cross_region_copy_rule")
            }
            _add(name, regions, _dlm_schedule(schedule), paths, unknowns)


def _dlm_targets(details: Block, resource: Resource) -> bool:
    kinds = details.get("resource_types")
    if kinds is None:
        kinds = ["VOLUME"]  # DLM's default target type
    wanted = value_at(details, "target_tags")
    return (
        isinstance(kinds, list)
        and _DLM_TYPE[resource.type] in kinds
        and isinstance(wanted, dict)
        and all(resource.tags.get(key) == text(value) for key, value in wanted.items())
    )


def _dlm_schedule(schedule: Block) -> str | None:
    """``create_rule { interval = 12, interval_unit = "HOURS" }`` or its ``cron_expression``."""
    rule = schedule.first("create_rule")
    if rule is None:
        return None
    if "cron_expression" in rule.attributes:
        return text(rule.get("cron_expression"))
    interval = text(rule.get("interval"))
    return f"rate({interval} hours)" if interval and interval.isdigit() else None


def _add(
    name: str,
    regions: set[bool | None],
    schedule: str | None,
    paths: list[RecoveryPath],
    unknowns: list[str],
) -> None:
    if True not in regions:
        if None in regions:
            unknowns.append(f"the copy destination region of {name}")
        return
    if schedule is None:
        unknowns.append(f"the schedule of {name} (not a literal)")
        return
    try:
        interval = interval_seconds(schedule)
    except ScheduleError as error:
        unknowns.append(f"the schedule of {name}: {error}")
        return
    copy, restore = figure("backup-copy"), figure("restore-from-backup")
    paths.append(
        RecoveryPath(
            Range.schedule(interval) + copy.range,
            restore.range,
            f"{name} every {human_duration(interval)} + cross-region copy",
        )
    )
