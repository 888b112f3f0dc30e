"""The bundled lint sample reports exactly its documented anti-patterns, in every format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.golden import GOLDEN_ROOT, assert_golden_text

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "samples/lint/legacy-shop"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_legacy_shop_sample(fmt: str, update_goldens: bool, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "drgen", "lint", SAMPLE, "--objectives", "rpo=1h,rto=4h",
         "--format", fmt, "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "DRGEN_CACHE_DIR": str(tmp_path)},
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    assert_golden_text(run.stdout, GOLDEN_ROOT / "samples" / f"legacy-shop.{fmt}", update_goldens)
    for rule in ("DR001", "DR003", "DR005", "DR007", "DR008", "DR010", "DR011", "DR020"):
        assert rule in run.stdout
