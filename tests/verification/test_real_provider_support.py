"""The real-provider check's own parts, without Terraform: what is cut, how values are shaped,
which mirrored release is used, which root a diagnostic belongs to."""

from __future__ import annotations

import json
from pathlib import Path

from .real_provider import diagnostics_by_root, mirrored_versions
from .real_provider_mocks import ACCOUNT, Input, input_value, overrides, root_facts, shaped
from .real_provider_strip import strip_root


def _block(*attributes: str, **blocks: dict[str, object]) -> dict[str, object]:
    return {
        "attributes": {name: {"type": "string", "optional": True} for name in attributes},
        "block_types": {name: {"nesting_mode": "list", "block": b} for name, b in blocks.items()},
    }


SCHEMA = {
    "resource_schemas": {
        "aws_thing": {"block": _block("name", "kms", rule=_block("days"))},
        "aws_user": {"block": _block("thing")},
    },
    "data_source_schemas": {"aws_key": {"block": _block("name")}},
}

ROOT = """terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.9.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "peer_vpc_id" {
  type = string
}

resource "aws_thing" "a" {
  count  = 1
  name   = "a"
  region = var.region

  rule {
    days  = 3
    extra = true
  }

  dynamic "rule" {
    for_each = [1]
    content {
      days  = rule.value
      newer = 1
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_plan_6x" "p" {
  name = aws_thing.a[0].name
}

resource "aws_user" "u" {
  thing = aws_plan_6x.p.arn
}

locals {
  plan = aws_plan_6x.p.arn
  kept = aws_thing.a[0].name
}

output "plan" {
  value = local.plan
}

output "kept" {
  value = local.kept
}
"""


def test_strip_cuts_exactly_what_the_schema_lacks_and_what_references_it() -> None:
    files, tally = strip_root({"main.tf": ROOT}, SCHEMA, "5.100.0")
    text = files["main.tf"]
    assert 'version = "5.100.0"' in text
    assert "region = var.region" not in text and 'provider "aws"' not in text
    for gone in ("extra", "newer", "aws_plan_6x", "aws_user", "local.plan", 'output "plan"'):
        assert gone not in text, gone
    for kept in ("count  = 1", "days  = 3", "days  = rule.value", "create_before_destroy"):
        assert kept in text
    assert 'output "kept"' in text and "kept = aws_thing.a[0].name" in text
    assert "  plan = " not in text and "  kept = aws_thing.a[0].name" in text
    assert (tally.resources_judged, tally.resources_skipped) == (1, 2)
    assert (tally.arguments_judged, tally.arguments_skipped) == (3, 5)
    assert sorted(item.split(": ", 1)[1] for item in tally.skipped) == [
        "aws_plan_6x.p (type not in the schema)",
        "aws_thing.a.region (argument not in the schema)",
        "aws_thing.a.rule.extra (argument not in the schema)",
        "aws_thing.a.rule.newer (argument not in the schema)",
        "aws_user.u (references a cut block)",
        "local.plan (references a cut block)",
        "output.plan (references a cut block)",
    ]


def test_a_data_source_reference_is_not_a_resource_reference() -> None:
    root = (
        'data "aws_gone" "k" {\n  name = "x"\n}\n\n'
        'resource "aws_user" "u" {\n  thing = aws_gone.k.name\n}\n'
    )
    files, tally = strip_root({"main.tf": root}, SCHEMA, "5.100.0")
    assert 'resource "aws_user" "u"' in files["main.tf"], "it names a resource, not the data"
    assert tally.resources_skipped == 1


def test_values_are_shaped_from_the_attribute_name_in_the_blocks_region() -> None:
    arn = shaped("target_key_arn", "aws_kms_alias", "ap-southeast-4", "data")
    assert arn == f"arn:aws:kms:ap-southeast-4:{ACCOUNT}:target_key/data"
    assert shaped("json", "aws_iam_policy_document", "us-east-1", "x") is not None
    assert json.loads(str(shaped("json", "aws_iam_policy_document", "us-east-1", "x")))
    assert shaped("account_id", "aws_caller_identity", "us-east-1", "x") == ACCOUNT
    assert shaped("description", "aws_kms_key", "us-east-1", "x") is None


def test_inputs_without_default_get_their_prefix_region() -> None:
    facts = root_facts({"main.tf": ROOT.replace("eu-west-1", "us-west-2")}, set())
    assert facts.region == "us-west-2"
    assert facts.inputs == [Input("peer_vpc_id", "string")]
    assert json.loads(input_value(Input("peer_vpc_id", "string"), facts)).startswith("vpc-")
    regional = root_facts(
        {
            "main.tf": ROOT
            + 'variable "primary_region" {\n  default = "eu-central-1"\n}\n'
            + 'variable "primary_autoscaling_group_arn" {\n  type = string\n}\n'
        },
        set(),
    )
    value = json.loads(input_value(Input("primary_autoscaling_group_arn", "string"), regional))
    assert value.startswith("arn:aws:autoscaling:eu-central-1:")
    listed = json.loads(input_value(Input("primary_subnet_ids", "list(string)"), regional))
    assert len(listed) == 2 and all(item.startswith("subnet-") for item in listed)


def test_overrides_target_each_kept_block_in_its_module_and_its_own_region() -> None:
    root = ROOT + (
        'variable "primary_region" {\n  default = "eu-central-1"\n}\n\n'
        'resource "aws_launch_template" "app" {\n}\n\n'
        'data "aws_key" "peer" {\n  region = var.primary_region\n}\n'
    )
    facts = root_facts({"main.tf": root}, {"aws_plan_6x.p"})
    assert [block.address for block in facts.blocks] == [
        "aws_thing.a",
        "aws_user.u",
        "aws_launch_template.app",
        "data.aws_key.peer",
    ]
    computed = {"type": "string", "computed": True}
    schema = {
        "resource_schemas": {"aws_launch_template": {"block": {"attributes": {"id": computed}}}},
        "data_source_schemas": {"aws_key": {"block": {"attributes": {"arn": computed}}}},
    }
    assert list(overrides(facts, "r7", schema)) == [
        ("override_resource", "module.r7.aws_launch_template.app", {"id": "lt-61707000000000000"}),
        (
            "override_data",
            "module.r7.data.aws_key.peer",
            {"arn": f"arn:aws:key:eu-central-1:{ACCOUNT}:resource/peer"},
        ),
    ]


def test_the_highest_mirrored_5x_release_is_used(tmp_path: Path) -> None:
    for version in ("5.9.0", "5.100.0", "6.0.0"):
        folder = tmp_path / "registry.terraform.io/hashicorp/aws" / version / "linux_amd64"
        folder.mkdir(parents=True)
        (folder / f"terraform-provider-aws_v{version}_x5").write_text("", encoding="utf-8")
    assert mirrored_versions(tmp_path) == ["5.9.0", "5.100.0"]
    assert mirrored_versions(tmp_path / "absent") == []


def test_a_diagnostic_belongs_to_the_root_of_its_file() -> None:
    found = diagnostics_by_root(
        [
            {"severity": "error", "summary": "bad", "range": {"filename": "r1/a.tf"}},
            {"severity": "warning", "summary": "meh", "range": {"filename": "r1/a.tf"}},
            {"severity": "error", "summary": "harness"},
        ],
        {"r1": "case/3-primary"},
    )
    assert found == {"case/3-primary": ["a.tf:?: bad:"], "": ["(no file):?: harness:"]}
