"""`drgen lint` finds nothing unsuppressed in any tree `drgen render` produces for the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project
from drgen.render import render_spec
from drgen.resources import data_dir
from drgen.spec import load_spec

SAMPLES = sorted(data_dir("samples").glob("*.yaml"))


def test_there_are_samples_to_render() -> None:
    assert len(SAMPLES) >= 6


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_rendered_tree_lints_clean(sample: Path, tmp_path: Path) -> None:
    tree = render_spec(load_spec(sample))
    for name, text in tree.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    project, errors = build_project([tmp_path], use_cache=False)
    assert errors == []
    resources = {r.address for root in project.roots for r in root.resources}
    assert resources, "the rendered tree declares resources"
    findings = lint_project(project, load_policies(), strict=True)
    unsuppressed = [f"{f.rule_id} {f.resource}: {f.message}" for f in findings if not f.suppressed]
    assert unsuppressed == []
    # the only waivers: acknowledged dual-master stores of the write-local sample, and the
    # recovery region's own backup plan, which must not copy to the region it replaces
    waived = {(f.rule_id, f.resource) for f in findings if f.suppressed}
    recovery_plan = ("DR005", "aws_backup_plan.secondary")
    assert recovery_plan in waived
    dual_master = {rule for rule, _ in waived - {recovery_plan}}
    assert dual_master <= {"DR010"}
    assert bool(dual_master) is (sample.stem == "active-active-write-local")
