"""The reference graph: direct, interpolated, in lists and nested blocks, through modules."""

from __future__ import annotations

import pytest

from drgen.lint.model.roots import Root
from tests.lint_model.support import build, resource_at


@pytest.fixture(scope="module")
def root() -> Root:
    project, errors = build("references")
    assert errors == []
    (only,) = project.roots
    return only


def test_every_resource_has_an_entry(root: Root) -> None:
    assert set(root.references) == {r.address for r in root.resources}


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        # direct attribute, nested block via a local, and the role
        (
            "aws_s3_bucket_replication_configuration.orders",
            {"aws_s3_bucket.source", "aws_s3_bucket.replica", "aws_iam_role.replication"},
        ),
        # list elements and an interpolation inside a function call in a nested block
        ("aws_iam_role.replication", {"aws_s3_bucket.source", "aws_s3_bucket.replica"}),
        # data sources are nodes too
        ("aws_iam_policy.read", {"data.aws_iam_policy_document.read"}),
        ("data.aws_iam_policy_document.read", {"aws_s3_bucket.source"}),
        # a module output leads to the child's resource
        ("aws_sns_topic_policy.copy", {"module.replica.aws_sns_topic.copies"}),
        # a child's var leads back through the call argument to the parent's resource
        ("module.replica.aws_sns_topic.copies", {"aws_s3_bucket.source"}),
        # count.index is no resource; the template interpolation is
        ("aws_kms_key.per_region", {"aws_s3_bucket.source"}),
        ("aws_s3_bucket.source", set()),
    ],
)
def test_references(root: Root, address: str, expected: set[str]) -> None:
    assert root.references[address] == expected


def test_navigation_helpers_follow_the_graph(root: Root) -> None:
    source = resource_at(root, "aws_s3_bucket.source")
    referrers = {
        r.address for r in root.referrers(source, "aws_s3_bucket_replication_configuration")
    }
    assert referrers == {"aws_s3_bucket_replication_configuration.orders"}
    config = resource_at(root, "aws_s3_bucket_replication_configuration.orders")
    assert [r.address for r in root.referenced_by(config)] == [
        "aws_iam_role.replication",
        "aws_s3_bucket.replica",
        "aws_s3_bucket.source",
    ]


def test_expanded_resource_is_one_node(root: Root) -> None:
    keys = resource_at(root, "aws_kms_key.per_region")
    assert keys.expanded
    assert [r.address for r in root.resources].count("aws_kms_key.per_region") == 1
