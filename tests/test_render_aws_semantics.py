"""AWS behaviour the rendered Terraform must respect beyond what the provider schema checks."""

from __future__ import annotations

from typing import Any

import hcl2

from drgen.render import render_spec
from tests.render_support import make_spec

_AUTOSCALING_ROLE = "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"


def _key_policy_statements(files: dict[str, str]) -> list[dict[str, Any]]:
    documents = hcl2.loads(files["kms.tf"])["data"]
    policy = next(block['"aws_iam_policy_document"']['"kms"'] for block in documents)
    statements: list[dict[str, Any]] = policy["statement"]
    return statements


def test_auto_scaling_may_use_the_keys_that_encrypt_its_volumes() -> None:
    files = render_spec(make_spec()).files
    statements = {s["sid"].strip('"'): s for s in _key_policy_statements(files)}
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
        assert principal["identifiers"] == ["${local.autoscaling_service_role_arn}"]
    assert _AUTOSCALING_ROLE in files["kms.tf"]
    assert "data.aws_partition.current.partition" in files["kms.tf"]
    assert "aws_iam_service_linked_role" not in "".join(files.values())
    assert (
        "aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com"
        in (files["README.md"])
    )


def test_without_compute_the_key_policy_names_no_auto_scaling_role() -> None:
    files = render_spec(make_spec(pattern="backup-restore", dns=None, compute=None)).files
    sids = [s["sid"].strip('"') for s in _key_policy_statements(files)]
    assert sids == ["AccountAdministersKeyThroughIam"]
    assert "AWSServiceRoleForAutoScaling" not in files["README.md"]
