"""RDS accepts the rendered databases at apply time, and their credential survives the primary.

RDS refuses a cross-region read replica of a source whose master password Secrets Manager
manages (RDS user guide, "Limitations for Secrets Manager integration"), so every store that
gets a replica takes a write-only password, kept in a secret replicated to the recovery region.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hcl2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project
from drgen.render import render_spec
from drgen.render.identifiers import Identifiers
from drgen.runbook import build_runbook
from drgen.runbook.model import Phase
from tests.render_support import make_spec

_TWO_RDS = [
    {"type": "rds", "name": "legacy", "engine": "postgres"},
    {"type": "rds", "name": "billing", "engine": "mysql"},
    {"type": "aurora", "name": "ledger", "engine": "aurora-postgresql"},
]
_LIVE = [
    {"pattern": "pilot-light"},
    {"pattern": "warm-standby"},
    {"pattern": "active-active", "write_mode": "write-global"},
    {"pattern": "active-active", "write_mode": "write-origin"},
]


def _resources(files: dict[str, str], root: str, kind: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for name, text in files.items():
        if name.startswith(f"{root}/") and name.endswith(".tf"):
            for block in hcl2.loads(text).get("resource", []):
                for label, body in block.get(f'"{kind}"', {}).items():
                    found[label.strip('"')] = body
    return found


def _unquote(value: Any) -> Any:
    return value.strip('"') if isinstance(value, str) else value


@pytest.mark.parametrize("pattern", _LIVE, ids=lambda p: "+".join(p.values()))
def test_no_rds_store_with_a_replica_has_a_managed_master_password(pattern: dict[str, str]) -> None:
    files = render_spec(make_spec(**pattern, data=_TWO_RDS)).files
    primaries = _resources(files, "3-primary", "aws_db_instance")
    replicas = _resources(files, "4-recovery", "aws_db_instance")
    assert sorted(primaries) == ["billing_primary", "legacy_primary"]
    assert sorted(replicas) == ["billing_secondary", "legacy_secondary"]
    for body in (*primaries.values(), *replicas.values()):
        assert "manage_master_user_password" not in body
        assert "master_user_secret_kms_key_id" not in body
    for body in primaries.values():
        assert body["password_wo"] == "${var.db_master_password}"
        assert body["password_wo_version"] == "${var.db_master_password_version}"
        assert "password" not in body  # the stored-in-state argument
    variables = hcl2.loads(files["3-primary/variables.tf"])["variable"]
    password = next(v['"db_master_password"'] for v in variables if '"db_master_password"' in v)
    assert password["ephemeral"] is True and password["sensitive"] is True


@pytest.mark.parametrize("pattern", _LIVE, ids=lambda p: "+".join(p.values()))
def test_the_credential_is_replicated_to_the_recovery_region(pattern: dict[str, str]) -> None:
    spec = make_spec(**pattern, data=_TWO_RDS)
    files = render_spec(spec).files
    (secret,) = _resources(files, "3-primary", "aws_secretsmanager_secret").values()
    name = Identifiers(spec.name).db_master_secret()
    assert _unquote(secret["name"]) == name
    assert secret["kms_key_id"] == "${aws_kms_key.primary.arn}"
    (replica,) = secret["replica"]
    assert replica["region"] == "${var.secondary_region}"
    assert replica["kms_key_id"] == "${data.aws_kms_alias.secondary.target_key_arn}"
    (version,) = _resources(files, "3-primary", "aws_secretsmanager_secret_version").values()
    assert "secret_string" not in version
    assert "var.db_master_password" in version["secret_string_wo"]
    assert version["secret_string_wo_version"] == "${var.db_master_password_version}"
    # the recovery root names it without reading the primary region
    assert f'value       = "{name}"' in files["4-recovery/outputs.tf"]
    assert "aws_secretsmanager_secret.db_master.arn" in files["3-primary/outputs.tf"]
    assert not any("secretsmanager_secret" in t for p, t in files.items() if p[0] in "1245")


def test_aurora_shares_the_password_and_its_version() -> None:
    files = render_spec(make_spec(pattern="pilot-light")).files
    (cluster,) = (
        body
        for label, body in _resources(files, "3-primary", "aws_rds_cluster").items()
        if label == "ledger_primary"
    )
    assert cluster["master_password_wo"] == "${var.db_master_password}"
    assert cluster["master_password_wo_version"] == "${var.db_master_password_version}"


def test_backup_restore_keeps_the_password_rds_manages() -> None:
    files = render_spec(make_spec(pattern="backup-restore", data=_TWO_RDS)).files
    for body in _resources(files, "3-primary", "aws_db_instance").values():
        assert body["manage_master_user_password"] is True
        assert "password_wo" not in body
    assert not any("aws_secretsmanager_secret" in text for text in files.values())
    assert "db_master_password" not in "".join(files.values())


@pytest.mark.parametrize("pattern", _LIVE, ids=lambda p: "+".join(p.values()))
def test_the_runbook_says_where_the_credential_is_in_the_recovery_region(
    pattern: dict[str, str],
) -> None:
    spec = make_spec(**pattern, data=_TWO_RDS)
    name = Identifiers(spec.name).db_master_secret()
    recovery = spec.regions.secondary
    (verify,) = (s for s in build_runbook(spec).failover.steps if s.phase is Phase.VERIFY)
    calls = [c for c in verify.commands if c.argv[:2] == ("aws", "secretsmanager")]
    assert [(c.option("--region"), c.option("--secret-id")) for c in calls] == [(recovery, name)]
    hint = f"aws secretsmanager get-secret-value --region {recovery} --secret-id {name}"
    assert hint in verify.why
    readme = render_spec(spec).files["README.md"]
    assert "## Database credentials" in readme
    assert hint in readme
    assert "manage_master_user_password" not in readme


def test_a_spec_without_replicated_databases_has_no_credential_step() -> None:
    spec = make_spec(pattern="pilot-light", data=[{"type": "s3", "name": "files"}])
    steps = build_runbook(spec).failover.steps
    services = {c.argv[1] for step in steps for c in step.commands if c.argv[0] == "aws"}
    assert "secretsmanager" not in services


_WORKLOAD = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True).filter(
    lambda n: len(n) <= 31
)


@given(_WORKLOAD)
def test_the_secret_name_never_looks_like_a_partial_arn(workload: str) -> None:
    """Secrets Manager appends ``-`` and six characters to ARNs: a name ending that way makes
    a partial ARN ambiguous, so the name never does."""
    name = Identifiers(workload).db_master_secret()
    assert name.startswith(workload + "-")
    assert not re.search(r"-[A-Za-z0-9]{6}$", name)
    assert re.fullmatch(r"[A-Za-z0-9/_+=.@-]{1,512}", name)


def test_dr021_guards_the_rendered_trees(tmp_path: Path) -> None:
    """Self-lint: the rendered tree is clean for DR021, and the pre-fix source (an RDS-managed
    password on the replicated store) is caught across the roots."""
    policies = [p for p in load_policies() if p.id == "DR021"]
    for name, text in render_spec(make_spec(pattern="warm-standby", data=_TWO_RDS)).files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    project, errors = build_project([tmp_path], use_cache=False)
    assert errors == []
    assert lint_project(project, policies, strict=True) == []
    source = tmp_path / "3-primary" / "rds_legacy.tf"
    text = source.read_text(encoding="utf-8")
    managed = re.sub(r"\n  password_wo +=[^\n]*", "\n  manage_master_user_password = true", text)
    assert managed != text
    source.write_text(managed, encoding="utf-8")
    project, errors = build_project([tmp_path], use_cache=False)
    findings = lint_project(project, policies, strict=True)
    assert [(f.rule_id, f.root, f.resource) for f in findings] == [
        ("DR021", "4-recovery", "aws_db_instance.legacy_secondary")
    ]
