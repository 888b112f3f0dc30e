"""DR038 on Amazon Data Lifecycle Manager policies (``aws_dlm_lifecycle_policy``).

A schedule's ``retain_rule`` keeps its EBS snapshots or AMIs ``interval`` x ``interval_unit``
(DAYS, WEEKS, MONTHS, YEARS), or keeps the last ``count`` of them, which lasts ``count`` x the
``create_rule``'s ``interval`` hours (a ``cron_expression`` schedule: cannot tell). A
``cross_region_copy_rule``'s ``retain_rule`` keeps the copies in the target region. The
schedule's own retention is judged unless a copy rule targets another region (the copy is then
what a recovery restores, and it is judged); a copy rule without a ``retain_rule`` is not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from drgen.lint.checks.days import Unread, day_count, read_days
from drgen.lint.checks.dynamic_blocks import first, nested
from drgen.lint.checks.facts import other_region, text
from drgen.lint.engine.run import Violation
from drgen.lint.model.roots import Block, Resource, Root

POLICY = "aws_dlm_lifecycle_policy"
_UNIT_HOURS = {"DAYS": 24, "WEEKS": 7 * 24, "MONTHS": 31 * 24, "YEARS": 366 * 24}  # the longest


@dataclass(frozen=True)
class _Kept:
    hours: int  # the longest the rule can keep a snapshot
    span: str  # that time as the rule says it: "3 days", "1 month", "72 hours"
    how: str  # the arguments that say so


def snapshot_violations(root: Root, floor: int) -> Iterator[Violation]:
    for policy in root.of_type(POLICY):
        details = first(policy.values, "policy_details")
        for position, schedule in enumerate(nested(details, "schedule") if details else []):
            name = text(schedule.get("name"))
            where = f"{policy.address}, schedule {repr(name) if name else f'#{position + 1}'}"
            elsewhere: set[bool | None] = set()
            for copy in nested(schedule, "cross_region_copy_rule"):
                target = text(copy.get("target")) or text(copy.get("target_region"))
                elsewhere.add(other_region(policy.region, target))
                retain = first(copy, "retain_rule")
                if retain is not None:
                    what = f"its copies to {target or 'another region'}"
                    yield from _judge(policy, retain, None, floor, where, what, "copy")
            retain = first(schedule, "retain_rule")
            if retain is None or True in elsewhere:
                continue
            kept = _kept(retain, first(schedule, "create_rule"))
            if None in elsewhere and _below(kept, floor) is not False:
                yield Violation(
                    policy,
                    f"{where}: cannot tell whether it copies to another region (then its copies "
                    f"are judged instead; retention floor {day_count(floor)})",
                    line=schedule.line,
                    unresolved=True,
                    kind=f"undecided-snapshot-copy:{name or position + 1}",
                )
                continue
            yield from _judge(
                policy,
                retain,
                first(schedule, "create_rule"),
                floor,
                where,
                "its snapshots",
                "schedule",
            )


def _judge(
    policy: Resource,
    retain: Block,
    create: Block | None,
    floor: int,
    where: str,
    what: str,
    kind: str,
) -> Iterator[Violation]:
    kept = _kept(retain, create)
    below = _below(kept, floor)
    if below is None:
        yield Violation(
            policy,
            f"{where}: cannot tell how long it keeps {what} (retention floor {day_count(floor)})",
            line=retain.line,
            unresolved=True,
            kind=f"undecided-{kind}-retention",
        )
    elif below:
        assert isinstance(kept, _Kept)
        yield Violation(
            policy,
            f"{where} keeps {what} {kept.span} ({kept.how}), below the retention "
            f"floor of {day_count(floor)}: a delete, corruption or ransomware noticed later has "
            f"no snapshot left to restore. Keep them at least {day_count(floor)} (retain_rule "
            f'interval = {floor}, interval_unit = "DAYS").',
            line=retain.line,
            kind=f"{kind}-below-floor",
        )


def _below(kept: _Kept | Unread | None, floor: int) -> bool | None:
    """Whether the rule surely keeps snapshots less than ``floor`` days (None: cannot tell)."""
    if kept is None or kept is Unread.INVALID:
        return False
    if kept is Unread.UNKNOWN:
        return None
    assert isinstance(kept, _Kept)
    return kept.hours < floor * 24


def _kept(retain: Block, create: Block | None) -> _Kept | Unread | None:
    """How long a retain_rule keeps a snapshot; None when it sets neither interval nor count."""
    interval = read_days(retain.get("interval"))
    if interval is not None:
        unit = retain.get("interval_unit")
        if interval is Unread.UNKNOWN or (unit is not None and text(unit) is None):
            return Unread.UNKNOWN
        hours = _UNIT_HOURS.get((text(unit) or "").upper())
        if not isinstance(interval, int) or hours is None:
            return Unread.INVALID
        name = (text(unit) or "").lower()
        span = f"{interval} {name[:-1] if interval == 1 else name}"
        how = f"retain_rule interval = {interval}, interval_unit = {text(unit)}"
        return _Kept(interval * hours, span, how)
    count = read_days(retain.get("count"))
    if count is None or count is Unread.INVALID:
        return count
    if count is Unread.UNKNOWN or create is None or create.get("cron_expression") is not None:
        return Unread.UNKNOWN
    every = read_days(create.get("interval"))
    unit = text(create.get("interval_unit")) or "HOURS"
    if not isinstance(every, int) or unit.upper() != "HOURS":
        return Unread.UNKNOWN if every is Unread.UNKNOWN else Unread.INVALID
    hours = count * every
    span = day_count(hours // 24) if hours % 24 == 0 else f"{hours} hours"
    return _Kept(hours, span, f"retain_rule count = {count}, one snapshot every {every} hours")
