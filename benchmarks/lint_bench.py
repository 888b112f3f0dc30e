"""Time ``drgen lint`` (cold and warm parse cache) and, when installed, checkov on the same folders.

Usage:
    python benchmarks/lint_bench.py FOLDER... [--checkov PATH/TO/checkov] [--runs N]

Each drgen run is a fresh process (``python -m drgen lint FOLDER --format json``) so
start-up and imports are included. "cold" uses an empty cache directory
(DRGEN_CACHE_DIR), "warm" runs again over the unchanged tree. checkov (from its own
virtualenv, never drgen's) runs once per folder with ``--framework terraform
--quiet --compact``. Prints a table with files, seconds and the checkov/drgen ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def count_files(folder: Path) -> int:
    """Terraform files drgen discovers (hidden folders and .terraform skipped)."""
    total = 0
    for _directory, subdirs, files in os.walk(folder):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        total += sum(1 for f in files if f.endswith((".tf", ".tf.json")))
    return total


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - start, completed.returncode


def drgen_times(folder: Path, runs: int) -> tuple[float, float, int]:
    """Best-of-``runs`` cold and warm seconds, and the lint exit code."""
    command = [sys.executable, "-m", "drgen", "lint", str(folder), "--format", "json"]
    colds: list[float] = []
    warms: list[float] = []
    code = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="drgen-bench-cache-") as cache:
            env = {**os.environ, "DRGEN_CACHE_DIR": cache, "PYTHONPATH": str(REPOSITORY)}
            cold, code = timed(command, env)
            warm, _ = timed(command, env)
        colds.append(cold)
        warms.append(warm)
    return min(colds), min(warms), code


def checkov_time(checkov: str, folder: Path) -> float:
    command = [checkov, "-d", str(folder), "--framework", "terraform", "--quiet", "--compact"]
    seconds, _ = timed(command, dict(os.environ))
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--checkov", default=os.environ.get("CHECKOV"), help="checkov executable")
    parser.add_argument("--runs", type=int, default=1, help="repeat drgen runs, keep the best")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as empty:
        empty_cold, _, _ = drgen_times(Path(empty), args.runs)
    print(f"drgen lint on an empty folder: {empty_cold:.2f} s")
    header = f"{'folder':<28} {'files':>6} {'cold s':>8} {'warm s':>8} {'exit':>5}"
    if args.checkov:
        header += f" {'checkov s':>10} {'ratio':>7}"
    print(header)
    for folder in args.folders:
        cold, warm, code = drgen_times(folder, args.runs)
        row = f"{folder.name:<28} {count_files(folder):>6} {cold:>8.2f} {warm:>8.2f} {code:>5}"
        if args.checkov:
            checkov = checkov_time(args.checkov, folder)
            row += f" {checkov:>10.1f} {checkov / cold:>6.0f}x"
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
