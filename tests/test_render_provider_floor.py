"""The rendered `required_providers` constraint follows what the root uses."""

from __future__ import annotations

import hcl2

from drgen.render import render_spec
from drgen.render.provider_floor import features, minimum_provider_version
from tests.render_support import make_spec


def _constraint(files: dict[str, str], root: str = "3-primary") -> str:
    versions = hcl2.loads(files[f"{root}/versions.tf"])
    return str(versions["terraform"][0]["required_providers"][0]["aws"]["version"])


def test_a_root_with_only_baseline_features_asks_for_6_0() -> None:
    spec = make_spec(
        pattern="backup-restore",
        dns=None,
        compute=None,
        data=[{"type": "s3", "name": "assets"}],
    )
    files = render_spec(spec).files
    for root in ("1-global", "2-recovery-storage", "3-primary", "4-recovery"):
        assert _constraint(files, root) == '">= 6.0.0"', root


def test_dynamodb_replicas_with_deletion_protection_need_6_9() -> None:
    # issue 11: `>= 6.0` let 6.0-6.8 in, where replica.deletion_protection_enabled is unknown
    files = render_spec(make_spec()).files
    assert _constraint(files) == '">= 6.9.0"'
    assert _constraint(files, "2-recovery-storage") == '">= 6.0.0"'  # each root its own floor


def test_features_walk_nested_and_dynamic_blocks() -> None:
    text = """
resource "aws_dynamodb_table" "t" {
  name = "t"
  replica {
    region_name                 = "us-west-2"
    deletion_protection_enabled = true
  }
  dynamic "ttl" {
    for_each = [1]
    content {
      enabled = true
    }
  }
}

data "aws_region" "here" {}
"""
    assert set(features(text)) == {
        "resource.aws_dynamodb_table",
        "resource.aws_dynamodb_table.name",
        "resource.aws_dynamodb_table.replica",
        "resource.aws_dynamodb_table.replica.region_name",
        "resource.aws_dynamodb_table.replica.deletion_protection_enabled",
        "resource.aws_dynamodb_table.ttl",
        "resource.aws_dynamodb_table.ttl.enabled",
        "data.aws_region",
    }
    assert minimum_provider_version([text]) == "6.9.0"


def test_the_newest_feature_decides() -> None:
    plan = 'resource "aws_arcregionswitch_plan" "p" {\n  name = "p"\n}\n'
    table = (
        'resource "aws_dynamodb_table" "t" {\n'
        "  replica {\n    deletion_protection_enabled = true\n  }\n}\n"
    )
    assert minimum_provider_version([table, plan]) == minimum_provider_version([plan])
    assert minimum_provider_version([]) == "6.0.0"
