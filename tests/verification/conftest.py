"""Session fixtures: render every case once, run each external tool once over all trees."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from drgen.errors import DrgenError
from drgen.render import RenderedTree, render_spec
from drgen.spec import Spec, load_spec

from .cases import Case, all_cases, write_spec
from .checkov_runner import CheckovCounts, run_checkov
from .hcl_tools import HclResult, run_hcl_tools
from .pipeline import write_tree
from .toolchain import require_checkov, require_node_tools


@dataclass(frozen=True)
class RenderedCase:
    case: Case
    directory: Path  # where the tree was written: <trees>/<case id>/
    spec: Spec | None = None
    tree: RenderedTree | None = None
    error: str | None = None  # why the spec did not load or render

    def require_tree(self) -> RenderedTree:
        if self.tree is None:
            pytest.fail(f"{self.case.id} did not render: {self.error}", pytrace=False)
        return self.tree


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.verification)


@pytest.fixture(scope="session")
def trees_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("trees")


@pytest.fixture(scope="session")
def rendered(trees_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, RenderedCase]:
    specs = tmp_path_factory.mktemp("specs")
    out = {}
    for case in all_cases():
        directory = trees_dir / case.id
        try:
            spec = load_spec(write_spec(case, specs))
            tree = render_spec(spec)
        except DrgenError as error:
            out[case.id] = RenderedCase(case, directory, error=error.format())
            continue
        except Exception:  # a render bug fails this case only, with its traceback
            out[case.id] = RenderedCase(case, directory, error=traceback.format_exc())
            continue
        write_tree(tree.files, directory)
        out[case.id] = RenderedCase(case, directory, spec, tree)
    return out


@pytest.fixture(scope="session")
def hcl_results(rendered: dict[str, RenderedCase], trees_dir: Path) -> dict[Path, HclResult]:
    node = require_node_tools()
    return run_hcl_tools(node, trees_dir.rglob("*.tf"))


@pytest.fixture(scope="session")
def checkov_counts(rendered: dict[str, RenderedCase], trees_dir: Path) -> dict[str, CheckovCounts]:
    checkov = require_checkov()
    return run_checkov(checkov, trees_dir)
