"""Where the external verification tools live, and what to do when one is missing.

Locally a missing tool skips its tests with the command that installs it; in CI (``CI=true``)
it fails, so a broken install step can never turn the suite green by skipping it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools"
HCL_CHECK_SCRIPT = TOOLS / "hcl_check.js"
SCHEMA_FILE = TOOLS / "aws-provider-schema.json"
CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"
INSTALL_HINT = "run scripts/test (it installs everything), or: "


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, tool: str, install: str) -> None:
    """Skip (locally) or fail (in CI) when ``tool`` is not installed."""
    if available:
        return
    message = f"not installed: {tool}; {INSTALL_HINT}{install}"
    if in_ci():
        pytest.fail(f"CI needs every verification tool: {message}", pytrace=False)
    pytest.skip(message)


def node_binary() -> str | None:
    return shutil.which("node")


def require_node_tools() -> str:
    """The node binary, once @cdktf/hcl2json and @cdktf/hcl-tools are installed in tools/."""
    node = node_binary()
    require(node is not None, "Node.js 20", "apt-get install nodejs (>= 20)")
    modules = TOOLS / "node_modules" / "@cdktf"
    require(
        (modules / "hcl2json").is_dir() and (modules / "hcl-tools").is_dir(),
        "@cdktf/hcl2json and @cdktf/hcl-tools",
        "(cd tools && npm ci)",
    )
    assert node is not None
    return node


def require_checkov() -> Path:
    require(
        CHECKOV.is_file(),
        "checkov (in .venv-checkov)",
        "python3 -m venv .venv-checkov && .venv-checkov/bin/pip install checkov==3.3.30",
    )
    return CHECKOV
