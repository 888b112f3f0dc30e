"""Print, per sample spec, what the verification suite checked: a Markdown table.

    python tools/verify_report.py

Columns: resources and data sources checked against the AWS provider schema (and the schema
problems found), files not in `terraform fmt` form, and checkov's passed/failed/skipped counts.
Needs the tools scripts/test installs (Node tools in tools/, checkov in .venv-checkov).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from drgen.render import render_spec  # noqa: E402  (after the checkout is on sys.path)
from drgen.spec import load_spec  # noqa: E402
from tests.verification.cases import sample_files  # noqa: E402
from tests.verification.checkov_runner import CheckovCounts, run_checkov  # noqa: E402
from tests.verification.hcl_tools import run_hcl_tools  # noqa: E402
from tests.verification.pipeline import check_schema, write_tree  # noqa: E402
from tests.verification.toolchain import CHECKOV  # noqa: E402

HEADER = (
    "| sample | resources | data sources | schema problems | unformatted files "
    "| checkov passed | failed | skipped |\n|---|---:|---:|---:|---:|---:|---:|---:|"
)


def main() -> int:
    node = shutil.which("node")
    if node is None or not CHECKOV.is_file():
        print("needs node and .venv-checkov: run scripts/test first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temp:
        trees = Path(temp)
        for sample in sample_files():
            write_tree(render_spec(load_spec(sample)).files, trees / sample.stem)
        hcl = run_hcl_tools(node, trees.rglob("*.tf"))
        checkov = run_checkov(CHECKOV, trees)
        print(HEADER)
        for sample in sample_files():
            directory = (trees / sample.stem).resolve()
            results = {
                p.relative_to(directory).as_posix(): r
                for p, r in hcl.items()
                if directory in p.parents
            }
            parsed = {name: r.json for name, r in results.items() if r.json is not None}
            report = check_schema(parsed)
            unformatted = sum(not r.is_formatted for r in results.values())
            counts = checkov.get(sample.stem, CheckovCounts())
            print(
                f"| {sample.stem} | {report.resources} | {report.data_sources} "
                f"| {len(report.problems) + len(results) - len(parsed)} | {unformatted} "
                f"| {counts.passed} | {counts.failed} | {counts.skipped} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
