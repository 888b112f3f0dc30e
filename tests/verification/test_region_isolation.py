"""The recovery-root isolation check catches each planted dependency on the primary region."""

from __future__ import annotations

from typing import Any

import pytest

from .region_isolation import backend_problems, isolation_problems

PROVIDER = {"aws": [{"region": "${var.secondary_region}"}]}
REPLICA = {
    "replicate_source_db": "arn:aws:rds:us-east-1:111122223333:db:shop-legacy",
    "instance_class": "${var.legacy_instance_class}",
}
GOOD: dict[str, dict[str, Any]] = {
    "4-recovery/versions.tf": {"provider": PROVIDER},
    "4-recovery/rds.tf": {"resource": {"aws_db_instance": {"legacy_secondary": [REPLICA]}}},
    "1-global/alb.tf": {"data": {"aws_route53_zone": {"this": [{"name": "example.com"}]}}},
}
GOOD_TEXT = {
    "4-recovery/versions.tf": 'provider "aws" {\n  region = var.secondary_region\n}\n',
    "4-recovery/rds.tf": f'  replicate_source_db = "{REPLICA["replicate_source_db"]}"\n',
    "1-global/alb.tf": 'data "aws_route53_zone" "this" {}\n',
}


def _problems(extra: dict[str, dict[str, Any]], text: str = "") -> list[str]:
    parsed = {**GOOD, **extra}
    texts = {**GOOD_TEXT, **{name: text for name in extra}}
    return isolation_problems(parsed, texts, "us-east-1")


def test_the_good_shapes_pass() -> None:
    assert _problems({}) == []


@pytest.mark.parametrize(
    ("planted", "text", "expected"),
    [
        (
            {"data": {"aws_kms_alias": {"p": [{"region": "${var.primary_region}"}]}}},
            "",
            "names a region other than its root's own",
        ),
        (
            {"data": {"terraform_remote_state": {"primary": [{"backend": "s3"}]}}},
            "",
            "reads another root's state",
        ),
        (
            {"provider": {"aws": [{"region": "us-east-1", "alias": "primary"}]}},
            'provider "aws" { region = "us-east-1" }',
            "the aws provider must use the recovery region only",
        ),
        ({"variable": {"primary_region": [{}]}}, "", "declares the primary region"),
        (
            {"resource": {"aws_iam_role": {"app": [{"name": "x"}]}}},
            "",
            "IAM and Route 53 belong in 1-global / 5-dns",
        ),
        ({}, '  description = "copied from us-east-1"', "names the primary region us-east-1"),
    ],
)
def test_each_planted_dependency_is_reported(
    planted: dict[str, Any], text: str, expected: str
) -> None:
    problems = _problems({"4-recovery/planted.tf": planted}, text)
    assert any(expected in problem for problem in problems), problems


def test_the_hosted_zone_is_read_only_in_the_global_roots() -> None:
    zone = {"data": {"aws_route53_zone": {"this": [{"name": "example.com"}]}}}
    problems = _problems({"3-primary/dns.tf": zone})
    (problem,) = problems
    assert problem.startswith("3-primary/dns.tf: data.aws_route53_zone.this: only 1-global")


def test_a_backend_example_must_keep_state_in_its_roots_region() -> None:
    good = 'backend "s3" {\n    region       = "us-west-2"\n    use_lockfile = true\n'
    files = {"4-recovery/backend.tf.example": good}
    assert backend_problems(files, ("4-recovery",), ("us-east-1", "us-west-2")) == []
    files = {"4-recovery/backend.tf.example": good.replace("us-west-2", "us-east-1")}
    assert backend_problems(files, ("4-recovery",), ("us-east-1", "us-west-2")) == [
        '4-recovery/backend.tf.example: lacks region       = "us-west-2"'
    ]
