"""Shared test options: ``pytest --update-goldens`` rewrites every golden file."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Property tests judge correctness, never speed: no per-example deadline (a loaded CI machine
# must not turn into a flaky failure). In CI the examples are derandomized so a red run can be
# reproduced exactly; locally each run explores new inputs.
settings.register_profile("drgen", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("drgen")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite golden files (rendered trees, reports) from the current output.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
