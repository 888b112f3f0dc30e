"""Every rendered tree (six samples + variations) is real Terraform for AWS provider v6."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.objectives import check_objectives

from .cases import all_cases
from .checkov_runner import CheckovCounts
from .hcl_tools import HclResult
from .pipeline import as_hcl2json_literal, check_schema, default_tags, root_folders
from .region_isolation import backend_problems, isolation_problems
from .rendering import RenderedCase
from .round_trip import round_trip_mismatch
from .self_lint import unsuppressed_findings
from .terraform_fmt import fmt_rewrites

CASE_IDS = [case.id for case in all_cases()]


def _tree_results(case: RenderedCase, hcl_results: dict[Path, HclResult]) -> dict[str, HclResult]:
    tree = case.require_tree()
    results = {
        name: hcl_results[(case.directory / name).resolve()]
        for name in tree.files
        if name.endswith(".tf")
    }
    assert results, f"{case.case.id} rendered no .tf file"
    return results


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_is_a_spec_drgen_validate_accepts(
    case_id: str, rendered: dict[str, RenderedCase]
) -> None:
    case = rendered[case_id]
    case.require_tree()
    assert case.spec is not None
    problems = [problem.format() for problem in check_objectives(case.spec)]
    assert not problems, "the case cannot meet its own objectives:\n" + "\n".join(problems)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_parses_with_hashicorp_hcl(
    case_id: str, rendered: dict[str, RenderedCase], hcl_results: dict[Path, HclResult]
) -> None:
    results = _tree_results(rendered[case_id], hcl_results)
    errors = [f"{name}: {r.parse_error}" for name, r in results.items() if r.parse_error]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_is_a_terraform_fmt_fixed_point(
    case_id: str, rendered: dict[str, RenderedCase], hcl_results: dict[Path, HclResult]
) -> None:
    results = _tree_results(rendered[case_id], hcl_results)
    diffs = [r.fmt_diff(name) for name, r in results.items() if not r.is_formatted]
    diffs += [
        f"{name}: {rewrite}" for name, r in results.items() for rewrite in fmt_rewrites(r.text)
    ]
    assert not diffs, "terraform fmt would change:\n" + "\n".join(diffs)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_matches_the_aws_provider_schema(
    case_id: str, rendered: dict[str, RenderedCase], hcl_results: dict[Path, HclResult]
) -> None:
    results = _tree_results(rendered[case_id], hcl_results)
    parsed = {name: r.json for name, r in results.items() if r.json is not None}
    assert len(parsed) == len(results), "a file does not parse (see the parse test)"
    report = check_schema(parsed)
    assert report.resources > 0, f"{case_id}: no resource was checked"
    assert not report.problems, "\n".join(report.problems)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_spec_tags_reach_the_provider_exactly(
    case_id: str, rendered: dict[str, RenderedCase], hcl_results: dict[Path, HclResult]
) -> None:
    case = rendered[case_id]
    results = _tree_results(case, hcl_results)
    assert case.spec is not None
    parsed = {name: r.json or {} for name, r in results.items()}
    expected = {key: as_hcl2json_literal(value) for key, value in case.spec.tags}
    roots = root_folders(parsed)
    assert roots == list(case.require_tree().roots)
    for root in roots:
        read_back = default_tags(parsed, root)
        assert {key: read_back.get(key) for key in expected} == expected, root


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_checkov_finds_no_unjustified_failure(
    case_id: str, rendered: dict[str, RenderedCase], checkov_counts: dict[str, CheckovCounts]
) -> None:
    rendered[case_id].require_tree()
    counts = checkov_counts.get(case_id)
    assert counts is not None and counts.passed > 0, f"checkov checked nothing in {case_id}"
    problems = [f"failed: {f}" for f in counts.failures]
    problems += [f"skipped without a reason: {s}" for s in counts.unjustified_skips]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_round_trip_declares_exactly_the_planned_resources(
    case_id: str, rendered: dict[str, RenderedCase]
) -> None:
    tree = rendered[case_id].require_tree()
    mismatch = round_trip_mismatch(tree.files, tree.resources, tree.roots)
    assert mismatch is None, mismatch


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_self_lint_reports_nothing_unsuppressed(
    case_id: str, rendered: dict[str, RenderedCase]
) -> None:
    case = rendered[case_id]
    case.require_tree()
    assert case.spec is not None
    problems = unsuppressed_findings(case.directory, case.spec)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_recovery_roots_name_nothing_in_the_primary_region(
    case_id: str, rendered: dict[str, RenderedCase], hcl_results: dict[Path, HclResult]
) -> None:
    case = rendered[case_id]
    results = _tree_results(case, hcl_results)
    tree = case.require_tree()
    assert case.spec is not None
    assert "4-recovery" in tree.roots  # the root an operator needs in an outage
    parsed = {name: r.json or {} for name, r in results.items()}
    texts = {name: r.text for name, r in results.items()}
    regions = (case.spec.regions.primary, case.spec.regions.secondary)
    problems = isolation_problems(parsed, texts, regions[0])
    problems += backend_problems(tree.files, tree.roots, regions)
    assert not problems, "\n".join(problems)
