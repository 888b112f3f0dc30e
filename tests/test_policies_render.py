"""`drgen lint` finds nothing unsuppressed in any tree `drgen render` produces for the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.lint.engine import lint_project
from drgen.lint.policies import load_policies
from drgen.lint.project import build_project
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
    # the only waivers are acknowledged dual-master stores of the write-local sample
    waived = {f.rule_id for f in findings if f.suppressed}
    assert waived <= {"DR010"}
    assert bool(waived) is (sample.stem == "active-active-write-local")
