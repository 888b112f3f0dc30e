"""Recovery points survive one compromised administrator or data key: each region's vault has
its own backup key (not the data key) and a Vault Lock (governance by default, compliance on
request, off on request) whose minimum retention is the plan's; the AWS Backup and S3
replication roles trust their service only on this account's (and bucket's) behalf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2
import pytest

from drgen.render import render_spec
from tests.fixtures.specs.support import (
    edited,
    errors_of,
    only,
    sample_text,
    warnings_of,
    write_spec,
)
from tests.render_support import make_spec

_VAULTS = {"primary": "3-primary/backup.tf", "secondary": "2-recovery-storage/backup.tf"}


def _blocks(text: str, kind: str, block_type: str = "resource") -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for block in hcl2.loads(text).get(block_type, []):
        for name, body in block.get(f'"{kind}"', {}).items():
            found[name.strip('"')] = body
    return found


@pytest.mark.parametrize("side", ["primary", "secondary"])
def test_each_vault_has_its_own_backup_key_not_the_data_key(side: str) -> None:
    text = render_spec(make_spec()).files[_VAULTS[side]]
    vault = _blocks(text, "aws_backup_vault")[side]
    assert vault["kms_key_arn"] == f"${{aws_kms_key.backup_{side}.arn}}"
    key = _blocks(text, "aws_kms_key")[f"backup_{side}"]
    assert key["enable_key_rotation"] is True
    alias = _blocks(text, "aws_kms_alias")[f"backup_{side}"]
    assert alias["name"] == '"alias/shop-backup"'
    assert set(_blocks(text, "aws_kms_key")) == {f"backup_{side}"}  # the data key lives in kms.tf


@pytest.mark.parametrize("side", ["primary", "secondary"])
def test_vault_lock_is_governance_by_default_with_the_plans_retention(side: str) -> None:
    spec = make_spec(backup={"every": "4h", "retention_days": 120})
    text = render_spec(spec).files[_VAULTS[side]]
    lock = _blocks(text, "aws_backup_vault_lock_configuration")[side]
    assert lock["backup_vault_name"] == f"${{aws_backup_vault.{side}.name}}"
    assert lock["min_retention_days"] == 120
    assert "changeable_for_days" not in lock  # governance mode
    assert "max_retention_days" not in lock  # on-demand runbook jobs keep points until deleted


def test_the_lock_minimum_follows_a_retention_raised_for_cold_storage() -> None:
    backup = {"every": "24h", "retention_days": 35, "cold_storage_after_days": 30}
    text = render_spec(make_spec(backup=backup)).files[_VAULTS["primary"]]
    lock = _blocks(text, "aws_backup_vault_lock_configuration")["primary"]
    assert lock["min_retention_days"] == 120  # AWS Backup's 90 days in cold storage


@pytest.mark.parametrize("side", ["primary", "secondary"])
def test_compliance_mode_has_the_shortest_grace_period(side: str) -> None:
    spec = make_spec(backup={"retention_days": 35, "vault_lock": "compliance"})
    text = render_spec(spec).files[_VAULTS[side]]
    lock = _blocks(text, "aws_backup_vault_lock_configuration")[side]
    assert lock["changeable_for_days"] == 3


def test_vault_lock_off_renders_no_lock() -> None:
    files = render_spec(make_spec(backup={"vault_lock": "off"})).files
    assert "aws_backup_vault_lock_configuration" not in "".join(files.values())


def test_compliance_mode_warns_that_it_is_irreversible(tmp_path: Path) -> None:
    text = edited(
        sample_text(),
        "  retention_days: 120\n",
        "  retention_days: 120\n  vault_lock: compliance\n",
    )
    warning = only(warnings_of(write_spec(tmp_path, text)))
    assert warning.json_path == "$.backup.vault_lock"
    assert "cannot be undone" in warning.message


def test_an_unknown_lock_mode_is_a_located_error(tmp_path: Path) -> None:
    text = edited(
        sample_text(), "  retention_days: 120\n", "  retention_days: 120\n  vault_lock: strict\n"
    )
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.backup.vault_lock"


def _conditions(text: str, document: str) -> dict[str, tuple[str, list[str]]]:
    (statement,) = _blocks(text, "aws_iam_policy_document", "data")[document]["statement"]
    return {
        c["variable"].strip('"'): (c["test"].strip('"'), [v.strip('"') for v in c["values"]])
        for c in statement["condition"]
    }


_ACCOUNT = "${data.aws_caller_identity.current.account_id}"
_PARTITION = "${data.aws_partition.current.partition}"


def test_the_backup_role_trusts_aws_backup_for_this_account_only() -> None:
    text = render_spec(make_spec()).files["1-global/backup.tf"]
    conditions = _conditions(text, "backup_assume")
    assert conditions["aws:SourceAccount"] == ("StringEqualsIfExists", [_ACCOUNT])
    assert conditions["aws:SourceArn"] == (
        "ArnLikeIfExists",
        [f"arn:{_PARTITION}:backup:*:{_ACCOUNT}:*"],
    )


@pytest.mark.parametrize(
    ("pattern", "write_mode", "sources"),
    [("warm-standby", None, ["pri"]), ("active-active", "write-origin", ["pri", "dr"])],
)
def test_the_replication_role_trusts_s3_for_its_source_buckets_only(
    pattern: str, write_mode: str | None, sources: list[str]
) -> None:
    spec = make_spec(pattern=pattern, write_mode=write_mode)
    text = render_spec(spec).files["1-global/s3_assets.tf"]
    conditions = _conditions(text, "assets_replication_assume")
    assert conditions["aws:SourceAccount"] == ("StringEqualsIfExists", [_ACCOUNT])
    assert conditions["aws:SourceArn"] == (
        "ArnLikeIfExists",
        [f"arn:{_PARTITION}:s3:::shop-assets-{side}-{_ACCOUNT}" for side in sources],
    )
