"""Session fixtures: render every case once, run each external tool once over all trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from .checkov_runner import CheckovCounts, run_checkov
from .hcl_tools import HclResult, run_hcl_tools
from .rendering import RenderedCase, render_cases
from .toolchain import require_checkov, require_node_tools


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
    return render_cases(trees_dir, tmp_path_factory.mktemp("specs"))


@pytest.fixture(scope="session")
def hcl_results(rendered: dict[str, RenderedCase], trees_dir: Path) -> dict[Path, HclResult]:
    node = require_node_tools()
    return run_hcl_tools(node, trees_dir.rglob("*.tf"))


@pytest.fixture(scope="session")
def checkov_counts(rendered: dict[str, RenderedCase], trees_dir: Path) -> dict[str, CheckovCounts]:
    checkov = require_checkov()
    return run_checkov(checkov, trees_dir)
