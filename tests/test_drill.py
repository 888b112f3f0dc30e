"""`drgen drill`: the recovery path of users' Terraform and of specs, with planted breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from drgen.cli import app
from drgen.runbook import render_files
from tests.render_support import make_spec

PRIMARY_ROOT = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets-pri"
}
"""

RECOVERY_ROOT = """
terraform {
  backend "s3" {
    bucket = "shop-state-dr"
    key    = "recovery.tfstate"
    region = "us-west-2"
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  default = "us-west-2"
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "assets_dr" {
  bucket = "shop-assets-dr"
}

resource "aws_autoscaling_group" "app" {
  name             = "shop-app-dr"
  min_size         = 0
  max_size         = 4
  desired_capacity = 0
}
"""

PLANTED = {
    "primary-data-source": (
        'data "aws_kms_alias" "primary" {\n  region = "us-east-1"\n  name = "alias/shop"\n}\n',
        "data source data.aws_kms_alias.primary: lives in us-east-1",
    ),
    "primary-provider": (
        'provider "aws" {\n  alias = "east"\n  region = "us-east-1"\n}\n'
        'resource "aws_sns_topic" "alerts" {\n  provider = aws.east\n  name = "a"\n}\n',
        "provider aws.east: configured for us-east-1",
    ),
    "remote-state-in-primary": (
        'data "terraform_remote_state" "primary" {\n  backend = "s3"\n'
        '  config = {\n    bucket = "shop-state-pri"\n    key = "p"\n    region = "us-east-1"\n'
        "  }\n}\n",
        "remote state data.terraform_remote_state.primary: reads state kept in us-east-1",
    ),
    "iam-in-recovery": (
        'resource "aws_iam_role" "app" {\n  name = "x"\n  assume_role_policy = "{}"\n}\n',
        "control plane aws_iam_role.app: aws_iam_role is served by us-east-1's control plane",
    ),
}


def _tree(tmp_path: Path, extra: str = "", backend_region: str = "us-west-2") -> Path:
    (tmp_path / "primary").mkdir()
    (tmp_path / "primary" / "main.tf").write_text(PRIMARY_ROOT)
    (tmp_path / "recovery").mkdir()
    recovery = RECOVERY_ROOT.replace(
        'region = "us-west-2"\n  }', f'region = "{backend_region}"\n  }}'
    )
    (tmp_path / "recovery" / "main.tf").write_text(recovery + extra)
    return tmp_path


def _drill(target: Path, lose: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["drill", str(target), "--lose", lose])
    return result.exit_code, result.output


def test_separate_roots_hold_without_the_primary(tmp_path: Path) -> None:
    code, output = _drill(_tree(tmp_path), "us-east-1")
    assert code == 0, output
    assert "  recovery: no dependency on us-east-1" in output
    assert "primary: 2 resources" not in output  # the provider is not a managed resource
    assert "lost with the region:\n  primary: 1 resources (aws_s3_bucket.assets)" in output
    assert "result: the recovery path holds without us-east-1" in output


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_dependency_breaks_the_recovery_path(tmp_path: Path, name: str) -> None:
    block, expected = PLANTED[name]
    code, output = _drill(_tree(tmp_path, block), "us-east-1")
    assert code == 1, output
    assert expected in output
    assert "result: the recovery path is BROKEN" in output


def test_state_kept_in_the_lost_region_breaks_it(tmp_path: Path) -> None:
    code, output = _drill(_tree(tmp_path, backend_region="us-east-1"), "us-east-1")
    assert code == 1
    assert "backend backend: state kept in us-east-1" in output


def test_one_root_for_both_regions_is_broken(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        RECOVERY_ROOT + PRIMARY_ROOT.replace('provider "aws" {\n  region = "us-east-1"\n}\n', "")
    )
    (tmp_path / "main.tf").write_text(
        (tmp_path / "main.tf").read_text()
        + 'resource "aws_dynamodb_table" "t" {\n  region = "us-east-1"\n  name = "t"\n'
        '  hash_key = "id"\n}\n'
    )
    code, output = _drill(tmp_path, "us-east-1")
    assert code == 1
    assert "resource aws_dynamodb_table.t: lives in us-east-1" in output


def test_a_runbook_call_without_region_breaks_it(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    for name, text in render_files(make_spec()).items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text)
    assert _drill(tree, "us-east-1")[0] == 0
    script = tree / "runbook" / "failover.sh"
    text = script.read_text()
    planted = text.replace(
        "run aws rds promote-read-replica --region us-west-2", "run aws rds promote-read-replica"
    )
    assert planted != text
    script.write_text(planted)
    code, output = _drill(tree, "us-east-1")
    assert code == 1
    assert "an AWS call without --region goes to the default region" in output


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    assert _drill(_tree(tmp_path), "us-nowhere-1")[0] == 2
    assert _drill(tmp_path / "missing", "us-east-1")[0] == 2
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: 1\nname: x\n")
    assert _drill(spec, "us-east-1")[0] == 2
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "main.tf").write_text('resource "aws_s3_bucket" "x" {\n')
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert _drill(broken, "us-east-1")[0] == 2
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_losing_the_recovery_region_of_a_spec_needs_no_failover(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parent.parent / "samples" / "warm-standby.yaml"
    code, output = _drill(sample, "us-west-2")
    assert code == 0
    assert "result: us-west-2 is the recovery region; the primary keeps serving" in output
    assert _drill(sample, "eu-west-1")[0] == 2  # neither of the spec's regions
