"""A missing tool skips locally (saying how to install it) and fails under CI=true."""

from __future__ import annotations

import pytest

from .toolchain import require


def test_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI needs every verification tool"):
        require(False, "checkov", "pip install checkov")


def test_missing_tool_skips_locally_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="or: pip install checkov"):
        require(False, "checkov", "pip install checkov")


def test_installed_tool_neither_skips_nor_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require(True, "checkov", "pip install checkov")
