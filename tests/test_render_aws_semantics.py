"""AWS behaviour the rendered Terraform must respect beyond what the provider schema checks."""

from __future__ import annotations

from typing import Any

import hcl2
import pytest

from drgen.render import render_spec
from tests.render_support import make_spec

_AUTOSCALING_ROLE = "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"


def _key_policy_statements(files: dict[str, str], root: str) -> list[dict[str, Any]]:
    documents = hcl2.loads(files[f"{root}/kms.tf"])["data"]
    policy = next(block['"aws_iam_policy_document"']['"kms"'] for block in documents)
    statements: list[dict[str, Any]] = policy["statement"]
    return statements


@pytest.mark.parametrize("root", ["2-recovery-storage", "3-primary"])
def test_auto_scaling_may_use_the_keys_that_encrypt_its_volumes(root: str) -> None:
    files = render_spec(make_spec()).files
    statements = {s["sid"].strip('"'): s for s in _key_policy_statements(files, root)}
    use = statements["AutoScalingUsesKeyForEbsVolumes"]
    assert sorted(a.strip('"') for a in use["actions"]) == [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
    ]
    grant = statements["AutoScalingGrantsKeyToEbs"]
    assert [a.strip('"') for a in grant["actions"]] == ["kms:CreateGrant"]
    condition = grant["condition"][0]
    assert condition["variable"].strip('"') == "kms:GrantIsForAWSResource"
    assert [v.strip('"') for v in condition["values"]] == ["true"]
    for statement in (use, grant):
        principal = statement["principals"][0]
        (identifier,) = principal["identifiers"]
        assert identifier.endswith(f':{_AUTOSCALING_ROLE}"')
        assert "${data.aws_partition.current.partition}" in identifier
    assert "aws_iam_service_linked_role" not in "".join(files.values())
    assert (
        "aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com"
        in (files["README.md"])
    )


def test_without_compute_the_key_policy_names_no_auto_scaling_role() -> None:
    files = render_spec(make_spec(pattern="backup-restore", dns=None, compute=None)).files
    for root in ("2-recovery-storage", "3-primary"):
        sids = [s["sid"].strip('"') for s in _key_policy_statements(files, root)]
        assert sids == ["AccountAdministersKeyThroughIam"]
    assert "AWSServiceRoleForAutoScaling" not in files["README.md"]


def _aurora_clusters(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    clusters: dict[str, dict[str, Any]] = {}
    for name, text in files.items():
        if name.rsplit("/", 1)[-1].startswith("aurora_") and name.endswith(".tf"):
            for block in hcl2.loads(text).get("resource", []):
                for label, body in block.get('"aws_rds_cluster"', {}).items():
                    clusters[label.strip('"')] = body
    return clusters


def test_write_origin_forwards_writes_from_the_aurora_secondary() -> None:
    spec = make_spec(pattern="active-active", write_mode="write-origin")
    files = render_spec(spec).files
    clusters = _aurora_clusters(files)
    assert clusters["ledger_secondary"]["enable_global_write_forwarding"] is True
    assert "enable_global_write_forwarding" not in clusters["ledger_primary"]
    readme = files["README.md"]
    assert "Aurora PostgreSQL needs version 14.9, 15.4, 16 or later" in readme
    assert "aws rds failover-global-cluster --region us-west-2" in readme


def test_only_write_origin_forwards_aurora_writes() -> None:
    for spec in (make_spec(), make_spec(pattern="active-active", write_mode="write-global")):
        files = render_spec(spec).files
        assert "enable_global_write_forwarding" not in _aurora_clusters(files)["ledger_secondary"]
        assert "write forwarding" not in files["README.md"]


@pytest.mark.parametrize(
    "overrides",
    [{}, {"pattern": "pilot-light"}, {"pattern": "active-active", "write_mode": "write-global"}],
    ids=["warm-standby", "pilot-light", "write-global"],
)
def test_aurora_runbook_fails_over_with_data_loss_and_switches_over_when_planned(
    overrides: dict[str, Any],
) -> None:
    readme = render_spec(make_spec(**overrides)).files["README.md"]
    lines = readme.splitlines()
    failover = next(line for line in lines if "aws rds failover-global-cluster" in line)
    assert "--region us-west-2" in failover
    assert "--global-cluster-identifier shop-ledger" in failover
    assert failover.rstrip().endswith("--allow-data-loss")
    target = next(
        line
        for line in lines
        if "--db-cluster-identifier shop-ledger-dr" in line and "describe-db-clusters" in line
    )
    assert "aws rds describe-db-clusters --region us-west-2" in target
    assert "DBClusterArn" in target
    assert "aws rds switchover-global-cluster" in readme
    assert "remove-from-global-cluster" not in readme


def test_readme_asks_for_the_aurora_backup_opt_in_in_both_regions() -> None:
    files = render_spec(make_spec(pattern="backup-restore", dns=None, compute=None)).files
    for region in ("us-east-1", "us-west-2"):
        assert (
            f"aws backup describe-region-settings --region {region} "
            "--query 'ResourceTypeOptInPreference.Aurora'"
        ) in files["README.md"]
    tf = "".join(text for name, text in files.items() if name.endswith(".tf"))
    assert "aws_backup_region_settings" not in tf


def test_no_aurora_opt_in_prerequisite_without_aurora() -> None:
    data = [{"type": "s3", "name": "assets"}, {"type": "rds", "name": "legacy", "engine": "mysql"}]
    readme = render_spec(make_spec(data=data)).files["README.md"]
    assert "ResourceTypeOptInPreference.Aurora" not in readme
    # the recovery plan selects by tag: the opt-in of the stores' types in the recovery region
    assert "lists `RDS`, `S3` as `true`" in readme
