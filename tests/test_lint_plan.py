"""`drgen lint plan.json`: a `terraform show -json` plan read into the same model as the HCL.

The fixtures in tests/fixtures/plan are real plans (tools/make_plan_fixtures.sh: Terraform
1.11.4, AWS provider 5.100.0, offline): legacy-shop.json of samples/lint/legacy-shop, and
modules.json of tests/fixtures/plan/src/modules (modules with for_each and a passed provider,
count, a dynamic block, values only Terraform computes).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drgen.findings import Finding
from drgen.lint.cli.lint_command import LintOptions, run_lint
from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.frontends.parsed import SyntaxProblem
from drgen.lint.frontends.plan.reader import read_plan
from drgen.lint.model.roots import Expression, Project, Root
from drgen.lint.topology.project import build_project
from drgen.spec.model import Objectives

REPO = Path(__file__).resolve().parent.parent
PLANS = REPO / "tests" / "fixtures" / "plan"
LEGACY_SHOP = REPO / "samples" / "lint" / "legacy-shop"
MODULES = PLANS / "src" / "modules"
_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]')


def _project(path: Path) -> Project:
    project, errors = build_project([path], use_cache=False)
    assert errors == []
    return project


def _findings(path: Path, *, strict: bool = False) -> list[Finding]:
    return lint_project(
        _project(path),
        load_policies(),
        strict=strict,
        objectives=Objectives(rpo="1h", rto="4h"),
        today=date(2026, 12, 1),
    )


def _facts(findings: list[Finding]) -> set[tuple[str, str, str, str]]:
    """What a finding asserts, without where it is shown or which instance key it names."""
    return {
        (f.rule_id, _INSTANCE_KEY.sub("", f.resource), f.kind, _INSTANCE_KEY.sub("", f.message))
        for f in findings
    }


def test_plan_of_the_lint_sample_finds_exactly_what_its_hcl_finds() -> None:
    from_hcl = _findings(LEGACY_SHOP)
    from_plan = _findings(PLANS / "legacy-shop.json")
    assert _facts(from_plan) == _facts(from_hcl)
    assert len(from_plan) == len(from_hcl) == 9
    assert {f.root for f in from_plan} == {"legacy-shop.json"}
    assert {f.file for f in from_plan} == {"legacy-shop.json"}


def test_plan_agrees_with_hcl_where_hcl_knows_and_decides_where_it_did_not() -> None:
    hcl = _findings(MODULES, strict=True)
    plan = _findings(PLANS / "modules.json", strict=True)
    undecided = {f for f in hcl if f.rule_id == "DR009"}
    decided_by_hcl = [f for f in hcl if f not in undecided and "sessions" not in f.resource]
    assert _facts(decided_by_hcl) <= _facts(plan)
    # the HCL reader cannot evaluate replace() or format(); the plan holds their values
    assert {f.resource for f in undecided} == {
        "aws_dynamodb_table.sessions",
        "aws_backup_plan.daily",
    }
    assert not [f for f in plan if f.rule_id == "DR009"]
    by_rule = {(f.rule_id, f.resource) for f in plan}
    assert ("DR005", "aws_backup_plan.daily") in by_rule  # its copy goes to us-east-1 itself
    assert ("DR004", "aws_dynamodb_table.sessions") not in by_rule  # replica in us-west-1
    assert ("DR010", "aws_dynamodb_table.sessions") in by_rule
    assert any("us-east-1 and us-west-1" in f.message for f in plan if f.rule_id == "DR010")


def test_every_module_and_resource_instance_is_expanded_with_its_region() -> None:
    (root,) = _project(PLANS / "modules.json").roots
    regions = {r.address: r.region for r in root.resources}
    assert regions == {
        "aws_backup_plan.daily": "us-east-1",
        "aws_backup_vault.main": "us-east-1",
        "aws_dynamodb_table.sessions": "us-east-1",
        "aws_dynamodb_table.shards[0]": "us-east-1",
        "aws_dynamodb_table.shards[1]": "us-east-1",
        "module.assets.aws_s3_bucket.this": "us-east-1",
        "module.assets.aws_s3_bucket_replication_configuration.this[0]": "us-east-1",
        "module.assets.aws_s3_bucket_versioning.this": "us-east-1",
        "module.assets_replica.aws_s3_bucket.this": "us-west-2",  # providers = { aws = aws.dr }
        "module.assets_replica.aws_s3_bucket_versioning.this": "us-west-2",
        'module.logs["access"].aws_s3_bucket.this': "us-east-1",
        'module.logs["access"].aws_s3_bucket_versioning.this': "us-east-1",
        'module.logs["audit"].aws_s3_bucket.this': "us-east-1",
        'module.logs["audit"].aws_s3_bucket_versioning.this': "us-east-1",
    }
    audit = root.by_address('module.logs["audit"].aws_s3_bucket.this')
    assert audit is not None and audit.values.get("bucket") == "plan-shop-logs-audit"
    assert audit.module_path == ('logs["audit"]',) and not audit.expanded
    replica = root.by_address("module.assets_replica.aws_s3_bucket.this")
    assert replica is not None and replica.provider == "aws.dr"


def test_references_follow_variables_and_module_outputs_across_instances() -> None:
    (root,) = _project(PLANS / "modules.json").roots
    replication = "module.assets.aws_s3_bucket_replication_configuration.this[0]"
    assert root.references[replication] == {
        "module.assets.aws_s3_bucket.this",  # bucket = aws_s3_bucket.this.id
        "module.assets.aws_s3_bucket_versioning.this",  # depends_on
        "module.assets_replica.aws_s3_bucket.this",  # var.destination_arn <- module output
    }
    assert root.references['module.logs["audit"].aws_s3_bucket_versioning.this'] == {
        'module.logs["audit"].aws_s3_bucket.this'
    }
    assert root.references["aws_backup_plan.daily"] == {"aws_backup_vault.main"}


def test_unknown_values_stay_unknown_with_their_references_and_known_ones_are_literal() -> None:
    (root,) = _project(PLANS / "modules.json").roots
    replication = root.by_address("module.assets.aws_s3_bucket_replication_configuration.this[0]")
    assert replication is not None
    destination = replication.values.first("rule").first("destination")  # type: ignore[union-attr]
    assert destination is not None
    assert destination.get("bucket") == Expression("var.destination_arn", ("var.destination_arn",))
    assert replication.values.get("role") == "arn:aws:iam::123456789012:role/plan-shop-replication"
    assert "token" not in replication.values.attributes  # not written: absent, as in HCL
    plan = root.by_address("aws_backup_plan.daily")
    assert plan is not None
    rule = plan.values.first("rule")
    assert rule is not None and rule.get("target_vault_name") == "plan-shop"
    # the dynamic block, invisible in the configuration, is its planned iteration
    (copy,) = rule.blocks_named("copy_action")
    assert copy.get("destination_vault_arn") == (
        "arn:aws:backup:us-east-1:123456789012:backup-vault:plan-shop-copy"
    )
    body_rule = plan.body.first("rule")
    assert body_rule is not None and body_rule.get("target_vault_name") == Expression(
        "aws_backup_vault.main.name", ("aws_backup_vault.main.name",)
    )


def test_data_read_while_planning_locals_and_a_module_provider_are_known() -> None:
    (root,) = _project(PLANS / "read-data.json").roots
    region = root.by_address("data.aws_region.here")
    assert region is not None and region.mode == "data"
    assert region.values.get("name") == "us-east-1"  # read, though nobody wrote it
    regional = root.by_address("aws_s3_bucket.regional")
    named = root.by_address("aws_s3_bucket.named")
    assert regional is not None and regional.values.get("bucket") == "plan-read-data-us-east-1"
    assert named is not None and named.values.get("bucket") == "plan-read-data-local"
    assert named.body.get("bucket") == Expression("local.suffix", ("local.suffix",))
    assert root.references["aws_s3_bucket.regional"] == {"data.aws_region.here"}
    assert root.references["aws_s3_bucket_policy.named"] == {
        "aws_s3_bucket.named",
        "data.aws_iam_policy_document.read_only",
    }
    jobs = root.by_address("module.legacy.aws_sqs_queue.jobs")
    assert jobs is not None and jobs.region == "eu-west-1"  # region = var.region, from the call
    assert jobs.provider == "module.legacy:aws"
    hcl = {r.address: r.region for r in _project(MODULES.parent / "read-data").roots[0].resources}
    assert hcl["module.legacy.aws_sqs_queue.jobs"] == "eu-west-1"
    assert hcl["data.aws_region.here"] == "us-east-1"


def _edited_plan(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    document = json.loads((PLANS / "modules.json").read_text(encoding="utf-8"))
    edit(document)
    target = tmp_path / "plan.json"
    target.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return target


def test_the_v6_region_argument_of_a_resource_wins_over_its_provider(tmp_path: Path) -> None:
    def set_region(document: dict[str, Any]) -> None:
        (vault,) = [
            r
            for r in document["planned_values"]["root_module"]["resources"]
            if r["address"] == "aws_backup_vault.main"
        ]
        vault["values"]["region"] = "us-west-2"
        (written,) = [
            r
            for r in document["configuration"]["root_module"]["resources"]
            if r["address"] == "aws_backup_vault.main"
        ]
        written["expressions"]["region"] = {"constant_value": "us-west-2"}

    (root,) = _project(_edited_plan(tmp_path, set_region)).roots
    vault = root.by_address("aws_backup_vault.main")
    assert vault is not None and vault.region == "us-west-2"
    plan = root.by_address("aws_backup_plan.daily")
    assert plan is not None and plan.region == "us-east-1"


def test_a_plan_without_configuration_keeps_its_values_and_knows_no_region(
    tmp_path: Path,
) -> None:
    (root,) = _project(_edited_plan(tmp_path, lambda d: d.pop("configuration"))).roots
    assert len(root.resources) == 14
    table = root.by_address("aws_dynamodb_table.sessions")
    assert table is not None and table.region is None  # no provider configuration to read
    assert table.values.get("hash_key") == "id"
    replica = table.values.first("replica")
    assert replica is not None and replica.get("region_name") == "us-west-1"
    assert root.references["aws_backup_plan.daily"] == set()


def test_a_plan_is_found_by_content_whatever_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("tfplan", "plan.tf.json", "show.out"):
        target = tmp_path / name
        shutil.copyfile(PLANS / "legacy-shop.json", target)
        (root,) = _project(target).roots
        assert root.directory == name and len(root.resources) == 10


def test_a_compact_plan_as_terraform_writes_it_gives_the_same_findings(tmp_path: Path) -> None:
    compact = tmp_path / "plan.json"
    document = json.loads((PLANS / "modules.json").read_text(encoding="utf-8"))
    compact.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    findings = _findings(compact)
    assert _facts(findings) == _facts(_findings(PLANS / "modules.json"))
    assert {f.line for f in findings} == {1}


def test_a_plan_beside_terraform_files_is_linted_alone(tmp_path: Path) -> None:
    shutil.copytree(LEGACY_SHOP, tmp_path / "stack")
    shutil.copyfile(PLANS / "modules.json", tmp_path / "stack" / "plan.json")
    project = _project(tmp_path / "stack" / "plan.json")
    assert [r.directory for r in project.roots] == ["plan.json"]
    assert project.files_scanned == 1
    both = _project_of([tmp_path / "stack", tmp_path / "stack" / "plan.json"])
    assert sorted(r.directory for r in both.roots) == ["stack", "stack/plan.json"]


def _project_of(paths: list[Path]) -> Project:
    here = Path.cwd()
    os.chdir(paths[0].parent)
    try:
        project, errors = build_project(
            [p.relative_to(paths[0].parent) for p in paths], use_cache=False
        )
    finally:
        os.chdir(here)
    assert errors == []
    return project


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('{"format_version": "1.2", "values": {}}', 1, "this is a state"),
        ('{\n "format_version": "2.0",\n "planned_values": {}\n}', 2, "unsupported plan"),
        ('{\n "format_version": "1.2",\n "planned_values": []\n}', 3, "planned_values must"),
        ("not json at all", 1, "invalid JSON"),
        ('[{"format_version": "1.2"}]', 1, "must be a JSON object"),
        (
            '{"format_version": "1.2",\n"planned_values": {"root_module": {"resources":'
            '\n[{"address": "aws_s3_bucket.b", "mode": "other", "type": "aws_s3_bucket",'
            ' "name": "b"}]}}}',
            3,
            "unknown resource mode",
        ),
    ],
)
def test_a_file_given_that_is_no_readable_plan_is_a_located_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    line: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.out").write_text(content, encoding="utf-8")
    code = run_lint(LintOptions(paths=[Path("plan.out")], quiet=True, formats=["json"]))
    assert code == 2
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert error["file"] == "plan.out" and error["line"] == line
    assert message in error["message"] and "not a readable Terraform plan" in error["message"]


def test_lint_command_reads_a_plan(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(PLANS)
    assert run_lint(LintOptions(paths=[Path("legacy-shop.json")], quiet=True)) == 1
    out = capsys.readouterr().out
    assert out.startswith("legacy-shop.json\n")
    assert '| "address": "aws_db_instance.orders",' in out


# --- robustness: whatever the JSON, a located error or a model the policies can run on ----

_PLAN_KEYS = (
    "format_version", "planned_values", "root_module", "resources", "child_modules",
    "address", "mode", "type", "name", "index", "values", "configuration", "provider_config",
    "expressions", "references", "constant_value", "module_calls", "module", "outputs",
    "expression", "resource_changes", "change", "after_unknown", "variables", "value",
    "provider_config_key", "region", "tags", "tags_all", "default_tags", "depends_on",
    "module_address", "rule", "replica", "region_name", "managed", "data", "aws_s3_bucket",
)  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["1.2", "2.0", "managed", "data", "aws", "var.x", "module.m", "us-east-1"]),
    st.text(max_size=8),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(_PLAN_KEYS), st.text(max_size=5)), inner, max_size=5
        ),
    ),
    max_leaves=40,
)
_FIXTURE: dict[str, Any] = json.loads((PLANS / "modules.json").read_text(encoding="utf-8"))
_POLICIES = load_policies()


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*here, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*here, index)))
    return found


_FIXTURE_PATHS = _paths(_FIXTURE)


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[path[0]] = _replaced(document[path[0]], path[1:], value)  # type: ignore[index]
    return copy


def _assert_model_or_located_error(text: str) -> None:
    result = read_plan(text.encode("utf-8"), "plan.json")
    if isinstance(result, SyntaxProblem):
        assert result.line >= 1 and result.column >= 1 and result.message
        return
    assert isinstance(result, Root)
    project = Project(base="plan.json", roots=[result], files_scanned=1)
    lint_project(project, _POLICIES, strict=True, objectives=Objectives(rpo="1h", rto="4h"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_JSON, plan_like=st.booleans())
def test_random_json_is_a_located_error_or_a_model(document: Any, plan_like: bool) -> None:
    if plan_like and isinstance(document, dict):
        document = {"format_version": "1.2", "planned_values": {}, **document}
    _assert_model_or_located_error(json.dumps(document))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(where=st.sampled_from(_FIXTURE_PATHS), value=_JSON, indent=st.sampled_from([None, 1]))
@example(where=("planned_values", "root_module", "resources", 1, "address"), value=[], indent=None)
def test_a_real_plan_with_any_part_replaced_is_a_located_error_or_a_model(
    where: tuple[Any, ...], value: Any, indent: int | None
) -> None:
    _assert_model_or_located_error(json.dumps(_replaced(_FIXTURE, where, value), indent=indent))
