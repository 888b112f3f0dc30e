"""HashiCorp's HCL parser and hclwrite formatter, run through tools/hcl_check.js (Node)."""

from __future__ import annotations

import difflib
import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .toolchain import HCL_CHECK_SCRIPT, TOOLS


@dataclass(frozen=True)
class HclResult:
    """One file as HashiCorp's libraries see it."""

    text: str
    json: dict[str, Any] | None  # hcl2json output; None when the file does not parse
    parse_error: str | None
    formatted: str  # what `terraform fmt` (hclwrite.Format) would write

    @property
    def is_formatted(self) -> bool:
        return self.formatted == self.text

    def fmt_diff(self, name: str) -> str:
        return "".join(
            difflib.unified_diff(
                self.text.splitlines(keepends=True),
                self.formatted.splitlines(keepends=True),
                f"{name} (rendered)",
                f"{name} (terraform fmt)",
            )
        )


def run_hcl_tools(node: str, files: Iterable[Path]) -> dict[Path, HclResult]:
    """Parse and format every file in one Node process (the WASM modules load once)."""
    paths = sorted({path.resolve() for path in files})
    if not paths:
        return {}
    completed = subprocess.run(
        [node, str(HCL_CHECK_SCRIPT), *map(str, paths)],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"hcl_check.js failed ({completed.returncode}): {completed.stderr}")
    raw = json.loads(completed.stdout)
    return {
        path: HclResult(
            text=path.read_text(encoding="utf-8"),
            json=raw[str(path)]["json"],
            parse_error=raw[str(path)]["parseError"],
            formatted=raw[str(path)]["formatted"] or "",
        )
        for path in paths
    }
