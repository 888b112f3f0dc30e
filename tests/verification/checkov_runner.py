"""Run checkov (its own virtualenv, offline) over rendered trees and count its verdicts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Keep checkov from calling home: no platform mapping, no SCA package scan, no downloads.
OFFLINE_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
    "CHECKOV_SKIP_DOWNLOAD": "TRUE",
}
NO_REASON = {"", "no comment provided"}  # checkov's placeholder for a bare skip


@dataclass
class CheckovCounts:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    failures: list[str] = field(default_factory=list)  # "CKV_AWS_18 aws_s3_bucket.x (main.tf:3)"
    unjustified_skips: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)  # "CKV_AWS_144 aws_s3_bucket.x: reason"


def _no_network_prefix() -> list[str]:
    """Run inside an empty network namespace when the machine allows it: proof of offline."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], check=False).returncode == 0:
        return [unshare, "-n"]
    return []


def run_checkov(checkov: Path, directory: Path) -> dict[str, CheckovCounts]:
    """Scan ``directory`` once; counts per top-level subfolder (one rendered tree each).

    No ``--quiet``: it drops the passed and skipped checks from the JSON, and the
    per-tree counts need them.
    """
    completed = subprocess.run(
        [
            *_no_network_prefix(),
            str(checkov),
            "--directory",
            str(directory),
            "--framework",
            "terraform",
            "--skip-download",
            "--output",
            "json",
            "--compact",
        ],
        env={**os.environ, **OFFLINE_ENV},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if completed.returncode not in (0, 1) or not completed.stdout.strip():
        raise RuntimeError(f"checkov failed ({completed.returncode}): {completed.stderr[-2000:]}")
    report: Any = json.loads(completed.stdout)
    if isinstance(report, list):  # several frameworks: only terraform was asked for
        (report,) = [r for r in report if r.get("check_type") == "terraform"]
    counts: dict[str, CheckovCounts] = defaultdict(CheckovCounts)
    results = report.get("results", {})  # absent when there was nothing to scan
    if report.get("summary", {}).get("parsing_errors"):
        raise RuntimeError(f"checkov could not parse: {results.get('parsing_errors')}")
    for check in results.get("passed_checks", []):
        counts[_tree_of(check)].passed += 1
    for check in results.get("failed_checks", []):
        tree = counts[_tree_of(check)]
        tree.failed += 1
        tree.failures.append(f"{check['check_id']} {_where(check)}: {check['check_name']}")
    for check in results.get("skipped_checks", []):
        tree = counts[_tree_of(check)]
        tree.skipped += 1
        reason = (check["check_result"].get("suppress_comment") or "").strip()
        tree.skips.append(f"{check['check_id']} {check['resource']}: {reason}")
        if reason.lower() in NO_REASON:
            tree.unjustified_skips.append(f"{check['check_id']} {_where(check)}")
    return dict(counts)


def _tree_of(check: dict[str, Any]) -> str:
    return str(check["file_path"]).lstrip("/").split("/", 1)[0]


def _where(check: dict[str, Any]) -> str:
    relative = str(check["file_path"]).lstrip("/").split("/", 1)[-1]
    return f"{check['resource']} ({relative}:{check['file_line_range'][0]})"
