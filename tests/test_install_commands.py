"""Every install command the README documents, run as written against a clone of this checkout.

`pipx install git+https://github.com/drgen-dev/drgen@<tag>` runs with the URL pointed at a
local clone carrying that tag (no network); the Quickstart's `pip install .` runs in the clone.
The Action's own install step is run by tests/test_adoption.py.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
README = (CHECKOUT / "README.md").read_text(encoding="utf-8")
PIPX = re.compile(r"^pipx install git\+(https://github\.com/drgen-dev/drgen)@(\S+)$", re.M)
QUICKSTART = re.compile(r"^(python3 -m venv \.venv && .*)$", re.M)


def _run(command: list[str] | str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        shell=isinstance(command, str),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this checkout's HEAD, tagged with the tag the README pins."""
    ((_, tag),) = PIPX.findall(README)
    target = tmp_path_factory.mktemp("clone") / "drgen"
    assert _run(["git", "clone", "-q", str(CHECKOUT), str(target)], CHECKOUT).returncode == 0
    assert _run(["git", "tag", tag], target).returncode == 0
    return target


def test_pipx_install_of_a_tag(clone: Path, tmp_path: Path) -> None:
    ((url, tag),) = PIPX.findall(README)
    assert url == "https://github.com/drgen-dev/drgen" and re.fullmatch(r"v\d+\.\d+\.\d+", tag)
    pipx = Path(sys.executable).with_name("pipx")
    homes = {f"PIPX_{k}": str(tmp_path / k.lower()) for k in ("HOME", "BIN_DIR", "MAN_DIR")}
    installed = _run([str(pipx), "install", f"git+file://{clone}@{tag}"], tmp_path, **homes)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    version = _run([str(tmp_path / "bin_dir" / "drgen"), "--version"], tmp_path)
    assert version.stdout.startswith("drgen ")


def test_quickstart_command(clone: Path) -> None:
    (command,) = QUICKSTART.findall(README)
    assert shlex.split(command)[:3] == ["python3", "-m", "venv"]
    done = _run(command, clone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (clone / "out" / "warm-standby" / "README.md").is_file()
