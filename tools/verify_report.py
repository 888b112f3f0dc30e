"""Print what the verification suite checks per rendered tree, as a Markdown table.

    python tools/verify_report.py               # the six samples
    python tools/verify_report.py --variations  # plus every generated variation

Columns: resources and data sources checked against the AWS provider schema (and the schema
problems found), files `terraform fmt` would change, and checkov's passed/failed/skipped
counts. Needs the tools scripts/test installs (Node tools in tools/, checkov in .venv-checkov).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.verification.cases import all_cases  # noqa: E402  (after the checkout is on sys.path)
from tests.verification.checkov_runner import CheckovCounts, run_checkov  # noqa: E402
from tests.verification.hcl_tools import HclResult, run_hcl_tools  # noqa: E402
from tests.verification.pipeline import check_schema  # noqa: E402
from tests.verification.rendering import render_cases  # noqa: E402
from tests.verification.terraform_fmt import fmt_rewrites  # noqa: E402
from tests.verification.toolchain import CHECKOV  # noqa: E402

HEADER = (
    "| tree | resources | data sources | schema problems | fmt changes "
    "| checkov passed | failed | skipped |\n|---|---:|---:|---:|---:|---:|---:|---:|"
)


def _row(tree: str, results: dict[str, HclResult], counts: CheckovCounts) -> str:
    parsed = {name: r.json for name, r in results.items() if r.json is not None}
    report = check_schema(parsed)
    unparsed = len(results) - len(parsed)
    fmt = sum(not r.is_formatted or bool(fmt_rewrites(r.text)) for r in results.values())
    return (
        f"| {tree} | {report.resources} | {report.data_sources} "
        f"| {len(report.problems) + unparsed} | {fmt} "
        f"| {counts.passed} | {counts.failed} | {counts.skipped} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variations", action="store_true", help="Also every variation.")
    args = parser.parse_args(argv)
    node = shutil.which("node")
    if node is None or not CHECKOV.is_file():
        print("needs node and .venv-checkov: run scripts/test first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temp:
        trees, specs = Path(temp, "trees"), Path(temp, "specs")
        specs.mkdir()
        cases = [case for case in all_cases() if args.variations or "+" not in case.id]
        rendered = render_cases(trees, specs, cases)
        broken = [f"{k}: {v.error}" for k, v in rendered.items() if v.tree is None]
        if broken:
            print("\n".join(broken), file=sys.stderr)
            return 1
        hcl = run_hcl_tools(node, trees.rglob("*.tf"))
        checkov = run_checkov(CHECKOV, trees)
        print(HEADER)
        for tree_id in rendered:
            directory = rendered[tree_id].directory.resolve()
            results = {
                path.relative_to(directory).as_posix(): result
                for path, result in hcl.items()
                if directory in path.parents
            }
            print(_row(tree_id, results, checkov.get(tree_id, CheckovCounts())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
