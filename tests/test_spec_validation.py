"""Schema violations and semantic errors: every one located, with a JSON path and a fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from drgen.cli import app
from drgen.errors import DrgenError, Problem
from drgen.spec import load_spec
from tests.fixtures.specs.support import (
    edited,
    errors_of,
    only,
    position_of,
    sample_text,
    warnings_of,
    write_spec,
)

SAMPLE_NAMES = [
    "backup-restore",
    "pilot-light",
    "warm-standby",
    "active-active-write-global",
    "active-active-write-origin",
    "active-active-write-local",
]


def _problem_for(tmp_path: Path, sample: str, old: str, new: str) -> tuple[Problem, str]:
    text = edited(sample_text(sample), old, new)
    return only(errors_of(write_spec(tmp_path, text))), text


def _at(problem: Problem, text: str, needle: str, json_path: str) -> None:
    assert (problem.line, problem.column) == position_of(text, needle), problem.format()
    assert problem.json_path == json_path


# --- schema violations, one kind each -------------------------------------------------------


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    text = edited(sample_text(), "  port: 8080", "  prot: 8080")
    missing, problem = errors_of(write_spec(tmp_path, text))
    assert (missing.message, missing.json_path) == ("missing required key 'port'", "$.compute")
    assert problem.message == "unknown key 'prot'"
    _at(problem, text, "prot:", "$.compute.prot")
    assert problem.hint == (
        "did you mean 'port'? allowed keys here: ami, instance_type, max, min, port"
    )


def test_unknown_key_without_a_close_match(tmp_path: Path) -> None:
    problem, _ = _problem_for(tmp_path, "warm-standby", "version: 1\n", "version: 1\nzzz: 1\n")
    assert problem.hint is not None and problem.hint.startswith("allowed keys here: backup,")


def test_enum_lists_the_allowed_values(tmp_path: Path) -> None:
    problem, text = _problem_for(
        tmp_path, "warm-standby", "pattern: warm-standby", "pattern: warm-standy"
    )
    assert problem.message == "'warm-standy' is not an allowed value"
    _at(problem, text, "warm-standy", "$.pattern")
    assert problem.hint == (
        "did you mean 'warm-standby'? use one of: backup-restore, pilot-light, warm-standby, "
        "active-active"
    )


def test_unknown_region(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "us-west-2", "us-wset-2")
    _at(problem, text, "us-wset-2", "$.regions.secondary")
    assert problem.hint is not None and problem.hint.startswith("did you mean 'us-west-2'?")
    assert "eu-central-1" in problem.hint


def test_pattern_violation_explains_the_format(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "rpo: 15m", "rpo: 15 minutes")
    assert problem.message == "'15 minutes' has the wrong format"
    _at(problem, text, "15 minutes", "$.objectives.rpo")
    assert problem.hint is not None and "whole number followed by s, m, h or d" in problem.hint


@pytest.mark.parametrize(
    ("old", "new", "json_path", "expected"),
    [
        ("name: shop", "name: Shop", "$.name", "lowercase letters"),
        ("ami: ami-0abcdef1234567890", "ami: ami-12345", "$.compute.ami", "8 or 17 hex digits"),
        ("zone: shop.example.com", "zone: localhost", "$.dns.zone", "domain name"),
        ("health_check_path: /healthz", "health_check_path: healthz", "$.dns.health_check_path",
         "starts with /"),
    ],
)  # fmt: skip
def test_pattern_violations(
    tmp_path: Path, old: str, new: str, json_path: str, expected: str
) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", old, new)
    _at(problem, text, new.split(": ")[1], json_path)
    assert problem.hint is not None and expected in problem.hint


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("internal", "load balancer names that start with 'internal-'"),
        ("internal-tools", "load balancer names that start with 'internal-'"),
        ("sg-shop", "security group names"),
    ],
)
def test_workload_names_aws_rejects_downstream(tmp_path: Path, name: str, reason: str) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "name: shop", f"name: {name}")
    _at(problem, text, name, "$.name")
    assert problem.message == f"{name!r} has the wrong format"
    assert problem.hint is not None and reason in problem.hint
    assert "tools-internal instead of internal-tools" in problem.hint


@pytest.mark.parametrize("name", ["internals", "tools-internal", "sgx", "shop-sg"])
def test_workload_names_merely_resembling_those_prefixes_are_fine(
    tmp_path: Path, name: str
) -> None:
    spec = load_spec(
        write_spec(tmp_path, edited(sample_text("warm-standby"), "name: shop", f"name: {name}"))
    )
    assert spec.name == name


def test_store_names_may_start_with_internal_or_sg(tmp_path: Path) -> None:
    """Store names never start an ALB or security group name, so they keep the plain rule."""
    text = edited(sample_text("warm-standby"), "name: assets", "name: internal-assets")
    text = edited(text, "name: sessions", "name: sg-sessions")
    spec = load_spec(write_spec(tmp_path, text))
    assert [s.name for s in spec.data][:2] == ["internal-assets", "sg-sessions"]


def test_network_ids_are_checked(tmp_path: Path) -> None:
    problem, text = _problem_for(
        tmp_path, "pilot-light", "subnet-0f1e2d3c4b5a69722]", "subnet-XYZ]"
    )
    _at(problem, text, "subnet-XYZ", "$.network.secondary.public_subnet_ids[1]")
    assert problem.hint is not None and "subnet- followed by 8 or 17 hex digits" in problem.hint


def test_type_mismatch_suggests_quoting(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "team: storefront", "team: yes")
    assert problem.message == "expected a string, got true"
    _at(problem, text, "yes", "$.tags.team")
    assert problem.hint is not None and problem.hint.startswith("quote the value")


def test_bounds(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "port: 8080", "port: 80800")
    assert problem.message == "80800 is above the maximum of 65535"
    _at(problem, text, "80800", "$.compute.port")
    assert problem.hint == "The port the application listens on (1 to 65535)."


def test_version_must_be_one(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "version: 1", "version: 2")
    assert problem.message == "expected 1, got 2"
    _at(problem, text, "2\n", "$.version")


def test_missing_required_key_is_reported_at_its_parent(tmp_path: Path) -> None:
    text = sample_text()
    start = text.index("  rto: 1h")
    text = text[:start] + text[text.index("\n", start) + 1 :]
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.message == "missing required key 'rto'"
    _at(problem, text, "rpo: 15m", "$.objectives")
    assert problem.hint is not None and problem.hint.startswith("add `rto:` here. Recovery time")


def test_tag_key_rules(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "  team: storefront", "  aws:team: x")
    assert problem.message == "key 'aws:team' is not allowed"
    _at(problem, text, "aws:team", "$.tags['aws:team']")
    assert problem.hint is not None and "not starting with aws:" in problem.hint


def test_tag_value_length(tmp_path: Path) -> None:
    problem, _ = _problem_for(tmp_path, "warm-standby", "team: storefront", "team: " + "x" * 257)
    assert problem.message == "the text is longer than 256 characters (257)"


def test_subnets_need_two_zones_and_no_repeats(tmp_path: Path) -> None:
    text = edited(
        sample_text("pilot-light"),
        "[subnet-0a1b2c3d4e5f60711, subnet-0a1b2c3d4e5f60722]",
        "[subnet-0a1b2c3d4e5f60711]",
    )
    text = edited(text, "subnet-0f1e2d3c4b5a69722]", "subnet-0f1e2d3c4b5a69711]")
    problems = errors_of(write_spec(tmp_path, text))
    assert [(p.json_path, p.message) for p in problems] == [
        ("$.network.primary.public_subnet_ids", "the list has 1 items, fewer than 2"),
        ("$.network.secondary.public_subnet_ids", "the list holds the same item more than once"),
    ]


def test_too_many_tags(tmp_path: Path) -> None:
    many = "".join(f"  t{index}: x\n" for index in range(41))
    problem, text = _problem_for(tmp_path, "warm-standby", "  team: storefront\n", many)
    assert problem.message == "42 entries, more than 40"
    _at(problem, text, "t0:", "$.tags")


def test_empty_block_and_wrong_top_level(tmp_path: Path) -> None:
    problem, _ = _problem_for(tmp_path, "backup-restore", "backup:\n", "backup:\n  every:\n#")
    assert problem.message == "expected a string, got nothing (null)"
    assert problem.json_path == "$.backup.every"
    problem = only(errors_of(write_spec(tmp_path, "- version: 1\n")))
    assert (problem.message, problem.json_path) == (
        "expected a mapping (key: value lines), got a list",
        "$",
    )


def test_whole_floats_become_integers(tmp_path: Path) -> None:
    text = edited(sample_text(), "port: 8080", "port: 8080.0")
    spec = load_spec(write_spec(tmp_path, text))
    assert spec.compute is not None
    assert type(spec.compute.port) is int


# --- conditional keys -------------------------------------------------------------------------


def test_write_local_needs_an_acknowledgement(tmp_path: Path) -> None:
    text = sample_text("active-active-write-local")
    start = text.index("dual_master_acknowledgement:")
    text = text[:start] + text[text.index("regions:") :]
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.message == (
        "missing required key 'dual_master_acknowledgement' (write-local (dual master) needs a "
        "dual_master_acknowledgement saying why last-writer-wins conflicts are acceptable)"
    )
    assert problem.json_path == "$"


def test_a_token_acknowledgement_is_not_a_reason(tmp_path: Path) -> None:
    text = sample_text("active-active-write-local")
    start, end = text.index("dual_master_acknowledgement:"), text.index("regions:")
    text = text[:start] + "dual_master_acknowledgement: ok\n\n" + text[end:]
    problems = errors_of(write_spec(tmp_path, text))
    assert {p.json_path for p in problems} == {"$.dual_master_acknowledgement"}
    assert "the text is shorter than 40 characters" in [p.message for p in problems]


def test_active_active_needs_a_write_mode(tmp_path: Path) -> None:
    problem, _ = _problem_for(
        tmp_path, "active-active-write-global", "write_mode: write-global", "resilience_hub: true"
    )
    assert problem.message == (
        "missing required key 'write_mode' (write_mode is required with pattern active-active)"
    )


def test_write_mode_only_with_active_active(tmp_path: Path) -> None:
    problem, text = _problem_for(
        tmp_path, "warm-standby", "pattern: warm-standby\n", "pattern: warm-standby\n"
        "write_mode: write-global\n"
    )  # fmt: skip
    assert problem.message == "key 'write_mode' is not allowed here"
    _at(problem, text, "write_mode:", "$.write_mode")
    assert problem.hint == (
        "remove it: write_mode and dual_master_acknowledgement apply only to pattern active-active"
    )


def test_acknowledgement_only_with_write_local(tmp_path: Path) -> None:
    problem, _ = _problem_for(
        tmp_path, "active-active-write-global", "write_mode: write-global",
        "write_mode: write-global\ndual_master_acknowledgement: we accept lost writes in this "
        "service because carts are disposable\n#",
    )  # fmt: skip
    assert problem.json_path == "$.dual_master_acknowledgement"
    assert problem.hint == (
        "remove it: dual_master_acknowledgement applies only to write_mode write-local"
    )


def test_dns_and_compute_required_unless_backup_restore(tmp_path: Path) -> None:
    text = sample_text("warm-standby")
    text = text[: text.index("dns:")] + text[text.index("# No network") :]
    problems = errors_of(write_spec(tmp_path, text))
    assert [p.message.split(" (")[0] for p in problems] == [
        "missing required key 'compute'",
        "missing required key 'dns'",
    ]
    assert "unless the pattern is backup-restore" in problems[0].message


def test_store_keys_depend_on_the_type(tmp_path: Path) -> None:
    text = edited(sample_text(), "    hash_key: id\n", "    glacier_after_days: 30\n")
    problems = errors_of(write_spec(tmp_path, text))
    assert [(p.json_path, p.message) for p in problems] == [
        ("$.data[1]", "missing required key 'hash_key' (a dynamodb store takes type, name and "
         "hash_key, which it requires)"),
        ("$.data[1].glacier_after_days", "key 'glacier_after_days' is not allowed here"),
    ]  # fmt: skip


def test_engine_must_match_the_store_type(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "engine: aurora-mysql", "engine: mysql")
    _at(problem, text, "mysql\n", "$.data[2].engine")
    assert (
        problem.hint == "did you mean 'aurora-mysql'? use one of: aurora-postgresql, aurora-mysql"
    )


def test_all_violations_are_reported_sorted(tmp_path: Path) -> None:
    text = edited(sample_text(), "name: shop", "name: Shop")
    text = edited(text, "port: 8080", "port: 0")
    text = edited(text, "primary: us-east-1", "primary: mars-1")
    problems = errors_of(write_spec(tmp_path, text))
    assert [p.json_path for p in problems] == ["$.name", "$.regions.primary", "$.compute.port"]
    assert [p.line for p in problems] == sorted(p.line or 0 for p in problems)


# --- semantic rules ---------------------------------------------------------------------------


def test_regions_must_differ(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "secondary: us-west-2", "secondary: "
                                 "us-east-1")  # fmt: skip
    assert problem.message == "the secondary region is the primary region (us-east-1)"
    _at(problem, text, "us-east-1\n\nobj", "$.regions.secondary")


def test_regions_must_share_a_partition(tmp_path: Path) -> None:
    problem, _ = _problem_for(tmp_path, "warm-standby", "us-west-2", "cn-north-1")
    assert "different AWS partitions" in problem.message
    assert problem.hint == "pick a secondary region in the aws partition"


def test_store_names_are_unique(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "name: legacy", "name: orders")
    assert problem.message == "store name 'orders' is already used by data[2]"
    assert problem.json_path == "$.data[3].name"
    assert problem.line == position_of(text, "engine: postgres")[0] - 1


def test_long_bucket_names_are_fine(tmp_path: Path) -> None:
    """The renderer gives buckets a bucket_prefix cut to 30 characters, so any name fits."""
    text = edited(sample_text(), "name: shop", "name: " + "s" * 31)
    text = edited(text, "name: assets", "name: " + "a" * 31)
    assert warnings_of(write_spec(tmp_path, text)) == []


def test_database_identifiers_must_fit(tmp_path: Path) -> None:
    text = edited(sample_text(), "name: shop", "name: " + "s" * 30)
    text = edited(text, "name: orders", "name: " + "o" * 20)
    problem = only(errors_of(write_spec(tmp_path, text)))
    identifier = "s" * 30 + "-" + "o" * 20
    assert problem.message == (
        f"the database identifier '{identifier}' is 51 characters; drgen keeps the first 50 "
        "(RDS allows 63, and replicas and final snapshots add a suffix), so it could collide "
        "with another store or end in '-'"
    )
    _at(problem, text, "o" * 20, "$.data[2].name")
    assert problem.hint == "shorten the workload name or this store name by 1 character"


def test_names_without_double_or_trailing_hyphens(tmp_path: Path) -> None:
    problem, _ = _problem_for(tmp_path, "warm-standby", "name: sessions", "name: sess--ions")
    assert "ends with a hyphen or holds '--'" in problem.message
    assert problem.json_path == "$.data[1].name"


def test_compute_min_not_above_max(tmp_path: Path) -> None:
    problem, text = _problem_for(tmp_path, "warm-standby", "min: 2", "min: 9")
    assert problem.message == "compute.min (9) is larger than compute.max (6)"
    _at(problem, text, "9\n", "$.compute.min")


def _with_cold_storage(text: str) -> str:
    """The backup-restore sample (S3 and RDS) with cold storage after 30 days."""
    return edited(text, "  retention_days:", "  cold_storage_after_days: 30\n  retention_days:")


def test_cold_storage_needs_ninety_more_days_of_retention(tmp_path: Path) -> None:
    text = edited(_with_cold_storage(sample_text("backup-restore")), ": 120", ": 100")
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.message == (
        "retention_days (100) must be at least cold_storage_after_days + 90 (120): AWS Backup "
        "keeps recovery points in cold storage for 90 days or more"
    )
    _at(problem, text, "100", "$.backup.retention_days")
    assert problem.hint is not None and problem.hint.startswith("raise retention_days to 120")


@pytest.mark.parametrize("every", ["30m", "5h", "36h"])
def test_backup_interval_must_be_a_schedule_aws_backup_can_run(tmp_path: Path, every: str) -> None:
    problem, _ = _problem_for(tmp_path, "warm-standby", "every: 4h", f"every: {every}")
    assert problem.json_path == "$.backup.every"


@pytest.mark.parametrize("every", ["1h", "3h", "12h", "1d", "7d", "168h"])
def test_backup_intervals_that_aws_backup_runs(tmp_path: Path, every: str) -> None:
    text = edited(sample_text(), "every: 4h", f"every: {every}")
    assert warnings_of(write_spec(tmp_path, text)) == []


def test_zero_objective(tmp_path: Path) -> None:
    problem, _ = _problem_for(tmp_path, "warm-standby", "rpo: 15m", "rpo: 0s")
    assert problem.message == "rpo is zero, which no architecture reaches"


def test_semantic_errors_are_all_reported(tmp_path: Path) -> None:
    text = edited(sample_text(), "secondary: us-west-2", "secondary: us-east-1")
    text = edited(text, "min: 2", "min: 9")
    problems = errors_of(write_spec(tmp_path, text))
    assert [p.json_path for p in problems] == ["$.regions.secondary", "$.compute.min"]


# --- warnings ---------------------------------------------------------------------------------


def test_early_glacier_transition_warns(tmp_path: Path) -> None:
    text = edited(sample_text(), "glacier_after_days: 90", "glacier_after_days: 7")
    warning = only(warnings_of(write_spec(tmp_path, text)))
    assert warning.json_path == "$.data[0].glacier_after_days"
    assert "need a restore" in warning.message


def test_backup_restore_ignores_dns_with_a_warning(tmp_path: Path) -> None:
    text = edited(
        sample_text("backup-restore"),
        "data:\n",
        "dns: {zone: example.com, record: catalog}\ndata:\n",
    )
    warning = only(warnings_of(write_spec(tmp_path, text)))
    assert warning.message == (
        "backup-restore runs nothing in the secondary region, so dns is not rendered"
    )
    assert warning.json_path == "$.dns"


# --- robustness -------------------------------------------------------------------------------

_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100_000) | st.floats(allow_nan=False)
    | st.text(max_size=12) | st.sampled_from(["s3", "write-local", "active-active", "us-east-1"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)  # fmt: skip


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), junk=_JUNK, sample=st.sampled_from(SAMPLE_NAMES))
def test_any_edit_of_a_sample_loads_or_fails_cleanly(
    tmp_path: Path, data: st.DataObject, junk: Any, sample: str
) -> None:
    document = yaml.safe_load(sample_text(sample))
    path = data.draw(st.sampled_from(_paths(document)[1:]))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = junk
    spec_path = write_spec(tmp_path, yaml.safe_dump(document, sort_keys=False))
    try:
        load_spec(spec_path)
    except DrgenError as error:
        for problem in error.problems:
            assert problem.file == str(spec_path)
            assert problem.line is not None and problem.json_path is not None
            assert problem.hint


def test_backup_restore_without_data_warns(tmp_path: Path) -> None:
    text = sample_text("backup-restore")
    text = text[: text.index("data:")] + text[text.index("backup:") :]
    warning = only(warnings_of(write_spec(tmp_path, text)))
    assert warning.message == "backup-restore without data stores protects nothing"
    assert warning.json_path == "$.pattern"


def test_cold_storage_without_a_store_that_supports_it_warns(tmp_path: Path) -> None:
    text = _with_cold_storage(sample_text("backup-restore"))  # S3 and RDS only
    path = write_spec(tmp_path, text)
    warning = only(warnings_of(path))
    assert warning.json_path == "$.backup.cold_storage_after_days"
    assert (warning.line, warning.column) == position_of(text, "30\n  retention")
    assert warning.message.endswith("AWS Backup ignores the setting for RDS and S3")
    assert warning.hint is not None and "remove cold_storage_after_days" in warning.hint
    assert load_spec(path).backup.cold_storage_after_days == 30  # a warning, not an error


def test_cold_storage_with_a_dynamodb_store_is_silent(tmp_path: Path) -> None:
    text = _with_cold_storage(sample_text("backup-restore"))
    text = edited(
        text,
        "  - type: rds\n",
        "  - type: dynamodb\n    name: carts\n    hash_key: id\n  - type: rds\n",
    )
    assert warnings_of(write_spec(tmp_path, text)) == []


@pytest.mark.parametrize("command", ["validate", "render"])
def test_validate_and_render_print_the_cold_storage_warning(tmp_path: Path, command: str) -> None:
    spec = write_spec(tmp_path, _with_cold_storage(sample_text("backup-restore")))
    arguments = [command, str(spec)] + (
        ["--output", str(tmp_path / "out")] if command == "render" else []
    )
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert f"warning: {spec}:" in result.stderr
    assert "cold_storage_after_days does nothing here" in result.stderr
