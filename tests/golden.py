"""Compare output with committed golden files, or rewrite them with --update-goldens."""

from __future__ import annotations

import shutil
from pathlib import Path

GOLDEN_ROOT = Path(__file__).parent / "golden"


def assert_golden_text(actual: str, golden: Path, update: bool) -> None:
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"{golden} missing: run `pytest --update-goldens`"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"{golden} differs: review, then `pytest --update-goldens`"


def assert_golden_tree(actual_dir: Path, golden_dir: Path, update: bool) -> None:
    """Every file under ``actual_dir`` equals its twin under ``golden_dir``, and no extras."""
    if update:
        if golden_dir.exists():
            shutil.rmtree(golden_dir)
        shutil.copytree(actual_dir, golden_dir)
        return
    assert golden_dir.is_dir(), f"{golden_dir} missing: run `pytest --update-goldens`"
    actual = {p.relative_to(actual_dir).as_posix() for p in actual_dir.rglob("*") if p.is_file()}
    expected = {p.relative_to(golden_dir).as_posix() for p in golden_dir.rglob("*") if p.is_file()}
    assert actual == expected, f"file set differs from {golden_dir}: {sorted(actual ^ expected)}"
    for name in sorted(actual):
        assert (actual_dir / name).read_bytes() == (golden_dir / name).read_bytes(), (
            f"{golden_dir / name} differs: review, then `pytest --update-goldens`"
        )
