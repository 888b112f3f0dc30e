"""Every root of every rendered case, judged by the real Terraform CLI and the real AWS
provider 5.x (the filesystem mirror, /opt/tf-plugins), as far as 5.x can judge it.

What it proves, on the part of each root the 5.x schema knows:
- `terraform validate`: HCL and Terraform semantics (types, references resolve, count and
  for_each shapes, meta-arguments, required arguments and blocks, block nesting and counts) and
  the provider's own static validators: every ValidateFunc of an argument whose value is known
  without inputs (name lengths and patterns, enum values, ARNs written as literals, ranges),
  ConflictsWith / ExactlyOneOf / AtLeastOneOf / RequiredWith between arguments.
- the mocked plan (`terraform test`, `mock_provider "aws"`, `command = plan`, every value
  known at plan time): the same validators again on the values the plan computes: variable
  defaults, locals, for_each keys, and references to other blocks, whose computed attributes
  are shaped like AWS's (real_provider_mocks.py: ARNs in the block's region, account ids, EC2
  ids, policy JSON), so e.g. an alias name passed where the provider validates an ARN fails.

What it cannot prove: anything AWS decides at apply time (service API rules, quotas, IAM,
cross-region and cross-account constraints, whether an ARN names something that exists), the
provider's plan-time logic (CustomizeDiff; the mock plans instead), a plan where computed
values are still unknown (the mock cannot tell which ones the real provider knows at plan, e.g.
ACM's domain_validation_options; only validate's all-unknown pass covers unknowns), the roots'
own provider blocks (the harness configures the provider), and every 6.x-only feature:
resource types, arguments and blocks the 5.x schema lacks are cut before judging
(real_provider_strip.py, from the schema, not from a list), as are blocks that reference what
was cut; the per-root counts are in the report this module writes (`pytest -rP` prints them).

The check skips (with the reason) when Terraform or the mirror is missing, in CI too: neither can be
installed from the package indexes; wherever they are present it runs and must pass.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from .cases import all_cases
from .real_provider import (
    RealProvider,
    Root,
    Verdicts,
    judge,
    prepare_root,
    provider_schema,
    require_real_provider,
)
from .real_provider_strip import Tally
from .rendering import RenderedCase

CASE_IDS = [case.id for case in all_cases()]


@dataclass
class Judged:
    tool: RealProvider
    schema: dict[str, Any]
    roots: dict[str, Root]  # by "<case id>/<root>"
    verdicts: Verdicts
    report: Path


def _root_files(case: RenderedCase) -> dict[str, dict[str, str]]:
    roots: dict[str, dict[str, str]] = defaultdict(dict)
    for name, text in case.require_tree().files.items():
        if name.endswith(".tf"):
            path = PurePosixPath(name)
            roots[str(path.parent)][path.name] = text
    return roots


def _write_report(roots: dict[str, Root], path: Path) -> None:
    """Per root: resources and arguments judged by 5.x and skipped, and what was cut."""
    lines = ["root\tresources judged\tskipped\targuments judged\tskipped"]
    total = Tally()
    for key, root in sorted(roots.items()):
        tally = root.tally
        total.add(tally)
        lines.append(
            f"{key}\t{tally.resources_judged}\t{tally.resources_skipped}"
            f"\t{tally.arguments_judged}\t{tally.arguments_skipped}"
        )
        lines += [f"  cut {item}" for item in tally.skipped]
    lines.append(
        f"total\t{total.resources_judged}\t{total.resources_skipped}"
        f"\t{total.arguments_judged}\t{total.arguments_skipped}"
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def judged(rendered: dict[str, RenderedCase], tmp_path_factory: pytest.TempPathFactory) -> Judged:
    tool = require_real_provider()
    work = tmp_path_factory.mktemp("real-provider")
    schema = provider_schema(tool, work / "schema")
    roots = {}
    for case_id, case in sorted(rendered.items()):
        if case.tree is None:
            continue  # the render tests report it
        for folder, files in sorted(_root_files(case).items()):
            key = f"{case_id}/{folder}"
            roots[key] = prepare_root(key, files, schema, tool.version)
    verdicts = judge(tool, list(roots.values()), schema, work / "harness")
    report = work / "report.tsv"
    _write_report(roots, report)
    return Judged(tool, schema, roots, verdicts, report)


def _case_problems(judged: Judged, case_id: str, found: dict[str, list[str]]) -> list[str]:
    problems = [f"(no root) {problem}" for problem in found.get("", [])]
    for key in sorted(k for k in judged.roots if k.split("/", 1)[0] == case_id):
        problems += [f"{key}/{problem}" for problem in found.get(key, [])]
    return problems


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_terraform_validate_with_the_real_provider(
    case_id: str, rendered: dict[str, RenderedCase], judged: Judged
) -> None:
    rendered[case_id].require_tree()
    problems = _case_problems(judged, case_id, judged.verdicts.validate)
    assert not problems, f"terraform validate (AWS provider {judged.tool.version}):\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_mocked_plan_with_the_real_provider(
    case_id: str, rendered: dict[str, RenderedCase], judged: Judged
) -> None:
    rendered[case_id].require_tree()
    problems = _case_problems(judged, case_id, judged.verdicts.mocked)
    assert not problems, f"mocked plan (AWS provider {judged.tool.version}):\n" + "\n".join(
        problems
    )


def test_every_root_is_judged_and_only_what_the_schema_lacks_is_cut(judged: Judged) -> None:
    """A root 5.x judges nothing of would pass vacuously; a cut must come from the schema."""
    assert judged.roots, "no root was judged"
    for key, root in judged.roots.items():
        assert root.tally.resources_judged > 0, f"{key}: 5.x judged no resource"
        assert root.tally.arguments_judged > 0, f"{key}: 5.x judged no argument"
        for item in root.tally.skipped:
            assert item.endswith(("not in the schema)", "references a cut block)")), item
    report = judged.report.read_text(encoding="utf-8")
    assert report.splitlines()[-1].startswith("total\t"), report
    print(f"AWS provider {judged.tool.version} judged (per root; `pytest -rP` shows this):")
    print(_by_folder(judged.roots), f"full report: {judged.report}", sep="\n")


def _by_folder(roots: dict[str, Root]) -> str:
    """Judged/skipped resources and arguments summed per root folder over every case."""
    folders: dict[str, Tally] = defaultdict(Tally)
    for key, root in roots.items():
        folders[key.split("/", 1)[1]].add(root.tally)
    return "\n".join(
        f"  {folder}: resources {t.resources_judged} judged, {t.resources_skipped} skipped; "
        f"arguments {t.arguments_judged} judged, {t.arguments_skipped} skipped"
        for folder, t in sorted(folders.items())
    )


def _planted(
    judged: Judged, fault: re.Pattern[str], replacement: str, tag: str
) -> tuple[Root, str]:
    """A copy of the first root with a match of ``fault``, that match replaced."""
    for key, root in sorted(judged.roots.items()):
        for file, text in root.files.items():
            if fault.search(text):
                files = {**root.files, file: fault.sub(replacement, text, count=1)}
                return Root(f"planted-{tag}/{key}", files, root.facts, root.tally), file
    pytest.fail(f"no rendered root matches {fault.pattern!r} to plant a fault in")


def test_planted_faults_fail_the_checks(judged: Judged, tmp_path: Path) -> None:
    """An enum value the provider rejects fails validate; an alias name where the provider
    validates an ARN (a value only the plan knows) passes validate and fails the mocked plan."""
    enum, enum_file = _planted(
        judged, re.compile(r'validation_method = "DNS"'), 'validation_method = "DNSSEC"', "enum"
    )
    arn, arn_file = _planted(
        judged,
        re.compile(r"^( +kms_key_id += data\.aws_kms_alias\.\w+)\.target_key_arn$", re.M),
        r"\1.name",
        "arn",
    )
    verdicts = judge(judged.tool, [enum, arn], judged.schema, tmp_path)
    enum_found = "\n".join(verdicts.validate.get(enum.key, []))
    assert f"{enum_file}:" in enum_found and "validation_method" in enum_found, json.dumps(
        verdicts.validate
    )
    assert not verdicts.validate.get(arn.key), "validate sees only an unknown value there"
    arn_found = "\n".join(verdicts.mocked.get(arn.key, []))
    assert f"{arn_file}:" in arn_found and "kms_key_id" in arn_found, json.dumps(verdicts.mocked)
