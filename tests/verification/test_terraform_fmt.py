"""Where a real Terraform CLI is installed, its own `fmt` agrees with the hclwrite check.

Terraform cannot be downloaded on every machine drgen is tested on, so this is an extra, not
one of the suite's required tools: the hclwrite fixed-point check in test_rendered_trees.py
is the one CI relies on.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .rendering import RenderedCase


def test_terraform_fmt_leaves_every_rendered_tree_unchanged(
    rendered: dict[str, RenderedCase], trees_dir: Path
) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("no terraform CLI on PATH (optional; hclwrite's format is the required check)")
    assert any(case.tree is not None for case in rendered.values())
    checked = subprocess.run(
        [terraform, "fmt", "-check", "-list=true", "-recursive", str(trees_dir)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TF_CLI_CONFIG_FILE": "/dev/null", "CHECKPOINT_DISABLE": "1"},
    )
    rewritten = checked.stdout + checked.stderr
    assert checked.returncode == 0, f"terraform fmt would rewrite:\n{rewritten}"
