"""Every sample renders to its committed tree (regenerate: pytest --update-goldens)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.render import render_spec
from drgen.render.command import run_render
from drgen.spec import load_spec
from tests.golden import GOLDEN_ROOT, assert_golden_tree
from tests.render_support import SAMPLES


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_renders_its_golden_tree(sample: Path, tmp_path: Path, update_goldens: bool) -> None:
    out = tmp_path / sample.stem
    assert run_render(sample, out, check=False, diff=False, force=False) == 0
    assert_golden_tree(out, GOLDEN_ROOT / "render" / sample.stem, update_goldens)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_rendering_twice_is_byte_identical(sample: Path) -> None:
    first = render_spec(load_spec(sample))
    second = render_spec(load_spec(sample))
    assert first == second


def test_there_is_a_sample_per_pattern_and_write_mode() -> None:
    assert {p.stem for p in SAMPLES} == {
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "active-active-write-global",
        "active-active-write-origin",
        "active-active-write-local",
    }
