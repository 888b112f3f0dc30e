"""AWS Backup rule values from the spec's ``backup:`` section."""

from __future__ import annotations

from dataclasses import dataclass

from drgen.spec.model import Backup

_HOUR = 3600
_DAY = 86400
_COLD_STORAGE_MINIMUM_DAYS = 90  # AWS Backup: delete_after >= cold_storage_after + 90
# Compliance-mode Vault Lock becomes immutable after this many days; AWS's minimum (a 72-hour
# cooling-off period), so a mistaken lock can be removed for the shortest time AWS allows.
COMPLIANCE_GRACE_DAYS = 3


@dataclass(frozen=True)
class BackupRules:
    schedule: str  # AWS cron expression
    delete_after: int  # days
    cold_storage_after: int | None  # days
    notes: tuple[str, ...]  # adjustments drgen made, shown as render warnings
    vault_lock: str = "governance"  # governance | compliance | off
    lock_changeable_for_days: int | None = None  # compliance mode's grace period

    @property
    def lock_min_retention(self) -> int:
        """Vault Lock's minimum: the plan's own retention, so the plan's jobs pass and no
        recovery point can be kept shorter (nor deleted earlier) than the spec says."""
        return self.delete_after


def backup_rules(backup: Backup) -> BackupRules:
    notes: list[str] = []
    schedule = _schedule(backup.every_seconds, backup.every, notes)
    delete_after = backup.retention_days
    cold = backup.cold_storage_after_days
    if cold is not None and delete_after < cold + _COLD_STORAGE_MINIMUM_DAYS:
        delete_after = cold + _COLD_STORAGE_MINIMUM_DAYS
        notes.append(
            f"backup retention raised from {backup.retention_days} to {delete_after} days: "
            f"AWS Backup keeps cold-storage recovery points at least 90 days after the move"
        )
    grace = COMPLIANCE_GRACE_DAYS if backup.vault_lock == "compliance" else None
    return BackupRules(schedule, delete_after, cold, tuple(notes), backup.vault_lock, grace)


def _schedule(seconds: int, written: str, notes: list[str]) -> str:
    """The AWS Backup cron for "every N": hourly steps that divide a day, else daily steps."""
    if seconds < _DAY:
        hours = max(1, seconds // _HOUR)
        while 24 % hours:
            hours -= 1
        if hours * _HOUR != seconds:
            notes.append(f"backup every {written} rounded to every {hours}h (AWS Backup cron)")
        return f"cron(0 */{hours} * * ? *)"
    days = seconds // _DAY
    if days * _DAY != seconds:
        notes.append(f"backup every {written} rounded down to every {days}d (AWS Backup cron)")
    if days == 1:
        return "cron(0 5 * * ? *)"
    if days == 7:
        return "cron(0 5 ? * SUN *)"
    if days >= 28:
        if days not in (28, 29, 30, 31):
            notes.append(f"backup every {written} runs monthly instead (AWS Backup cron)")
        return "cron(0 5 1 * ? *)"
    return f"cron(0 5 */{days} * ? *)"
