"""DR037: what makes a bucket, database or table a DR copy, what copies into one, and one
finding per problem (DR001/DR003/DR004 never report what DR037 judges)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project
from drgen.objectives import parse_objectives_option

POLICIES = load_policies()
NO_COPY = {"DR001", "DR003", "DR004"}
PROVIDERS = """
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}
"""


def _findings(
    text: str, *, strict: bool = False, skip: frozenset[str] = frozenset()
) -> set[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "main.tf").write_text(PROVIDERS + text, encoding="utf-8")
        project, errors = build_project([Path(folder)], use_cache=False)
        assert errors == []
        found = lint_project(project, POLICIES, strict=strict, skip=skip)
    return {(f.rule_id, f.resource) for f in found}


def _bucket(name: str, bucket: str, *, dr: bool = False) -> str:
    provider = "\n  provider = aws.dr" if dr else ""
    return f'resource "aws_s3_bucket" "{name}" {{{provider}\n  bucket = "{bucket}"\n}}\n'


def _replication(source: str, destination: str) -> str:
    return f"""
resource "aws_s3_bucket_replication_configuration" "copy" {{
  bucket = aws_s3_bucket.{source}.id
  role   = "arn:aws:iam::123456789012:role/replication"
  rule {{
    id     = "all"
    status = "Enabled"
    destination {{
      bucket = aws_s3_bucket.{destination}.arn
    }}
  }}
}}
"""


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).filter(
    lambda w: w not in {"dr", "log", "logs", "logging", "tfstate", "state", "terraform"}
)
DR_SUFFIX = st.sampled_from(["dr", "replica", "secondary", "standby", "failover", "recovery"])
SERVING_SUFFIX = st.sampled_from(["", "-primary", "-main", "-source"])


@settings(max_examples=25)
@given(WORD, DR_SUFFIX, SERVING_SUFFIX, st.booleans())
def test_a_dr_named_counterpart_is_judged_by_dr037_alone(
    stem: str, dr_word: str, serving: str, replicated: bool
) -> None:
    text = _bucket("serving", f"{stem}{serving}") + _bucket("copy", f"{stem}-{dr_word}", dr=True)
    if replicated:
        text += _replication("serving", "copy")
    found = _findings(text)
    copy = "aws_s3_bucket.copy"
    assert (("DR037", copy) in found) is not replicated
    assert not any(rule in NO_COPY for rule, address in found if address == copy)
    assert ("DR037", "aws_s3_bucket.serving") not in found


@settings(max_examples=25)
@given(WORD, WORD)
def test_a_dr_word_every_location_shares_makes_no_copy(one: str, other: str) -> None:
    """A project called acme-dr names both regions' buckets: neither is a DR copy."""
    text = _bucket("a", f"acme-dr-{one}") + _bucket("b", f"acme-dr-{other}x", dr=True)
    found = _findings(text)
    assert {r for r, _ in found if r == "DR037"} == set()
    assert {("DR001", "aws_s3_bucket.a"), ("DR001", "aws_s3_bucket.b")} <= found


def test_region_names_and_the_recovery_side_make_a_counterpart() -> None:
    """No DR word: the bucket sits where a database is copied to and has the serving bucket's
    name but for the region."""
    text = (
        _bucket("east", "orders-us-east-1")
        + _bucket("west", "orders-us-west-2", dr=True)
        + """
resource "aws_db_instance" "ledger" {
  identifier              = "ledger"
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  allocated_storage       = 20
  multi_az                = true
  backup_retention_period = 7
}

resource "aws_db_instance" "ledger_copy" {
  provider                = aws.dr
  identifier              = "ledger-copy"
  replicate_source_db     = aws_db_instance.ledger.arn
  instance_class          = "db.r6g.large"
  backup_retention_period = 7
}
"""
    )
    found = _findings(text)
    assert ("DR037", "aws_s3_bucket.west") in found
    assert ("DR001", "aws_s3_bucket.west") not in found
    assert ("DR001", "aws_s3_bucket.east") in found
    assert ("DR037", "aws_db_instance.ledger_copy") not in found  # a replica is copied into


_CLUSTERS = """
resource "aws_rds_cluster" "orders" {
  cluster_identifier = "orders"
  engine             = "aurora-postgresql"
  master_username    = "orders"
  manage_master_user_password = true
}

resource "aws_rds_cluster" "orders_secondary" {
  provider           = aws.dr
  cluster_identifier = "orders-secondary"
  engine             = "aurora-postgresql"
  %s
}
"""


def test_a_standalone_secondary_cluster_is_reported_and_a_global_member_is_not() -> None:
    alone = _findings(_CLUSTERS % 'master_username = "orders"')
    assert ("DR037", "aws_rds_cluster.orders_secondary") in alone
    assert ("DR003", "aws_rds_cluster.orders_secondary") not in alone
    joined = _findings(
        'resource "aws_rds_global_cluster" "orders" {\n  global_cluster_identifier = "orders"\n}\n'
        + _CLUSTERS % "global_cluster_identifier = aws_rds_global_cluster.orders.id"
    )
    assert ("DR037", "aws_rds_cluster.orders_secondary") not in joined


_DMS = """
resource "aws_db_instance" "ledger" {
  identifier        = "ledger"
  engine            = "postgres"
  instance_class    = "db.r6g.large"
  allocated_storage = 20
  multi_az          = true
}

resource "aws_db_instance" "ledger_standby" {
  provider          = aws.dr
  identifier        = "ledger-standby"
  engine            = "postgres"
  instance_class    = "db.r6g.large"
  allocated_storage = 20
  multi_az          = true
}

resource "aws_dms_endpoint" "into_standby" {
  provider      = aws.dr
  endpoint_id   = "ledger-standby"
  endpoint_type = "%s"
  engine_name   = "postgres"
  server_name   = aws_db_instance.ledger_standby.address
}
"""


def test_a_dms_target_endpoint_copies_into_the_database_and_a_source_one_does_not() -> None:
    assert ("DR037", "aws_db_instance.ledger_standby") not in _findings(_DMS % "target")
    assert ("DR037", "aws_db_instance.ledger_standby") in _findings(_DMS % "source")


def test_a_replication_destination_drgen_cannot_follow_leaves_it_undecided() -> None:
    text = (
        _bucket("serving", "invoices")
        + _bucket("copy", "invoices-dr", dr=True)
        + 'variable "replica" {\n  type = string\n}\n'
        + _replication("serving", "copy").replace(
            "aws_s3_bucket.copy.arn", '"arn:aws:s3:::${var.replica}"'
        )
    )
    assert ("DR037", "aws_s3_bucket.copy") not in _findings(text)
    assert ("DR009", "aws_s3_bucket.copy") in _findings(text, strict=True)


def _dr020(text: str, ids: set[str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "main.tf").write_text(PROVIDERS + text, encoding="utf-8")
        project, _ = build_project([Path(folder)], use_cache=False)
        found = lint_project(
            project,
            [p for p in POLICIES if p.id in ids],
            objectives=parse_objectives_option("rpo=1h,rto=4h"),
        )
    return {f.resource: f.message for f in found if f.rule_id == "DR020"}


def test_dr020_names_the_policy_that_reports_the_missing_data() -> None:
    text = _bucket("serving", "media") + _bucket("copy", "media-dr", dr=True)
    said = _dr020(text, {"DR020", "DR037"})
    assert "(DR037 reports that nothing copies into this DR copy)" in said["aws_s3_bucket.copy"]
    assert "(DR001 reports the missing copy)" in said["aws_s3_bucket.serving"]
    without = _dr020(text, {"DR020", "DR001"})  # DR037 not run: DR001 reports the copy too
    assert "(DR001 reports the missing copy)" in without["aws_s3_bucket.copy"]


def test_with_dr037_skipped_the_no_copy_finding_stands() -> None:
    text = _bucket("serving", "media") + _bucket("copy", "media-dr", dr=True)
    assert ("DR001", "aws_s3_bucket.copy") not in _findings(text)
    assert ("DR001", "aws_s3_bucket.copy") in _findings(text, skip=frozenset({"DR037"}))
