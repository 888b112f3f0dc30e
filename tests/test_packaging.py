"""The wheel carries the data folders drgen reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA_FOLDERS = ("templates", "policies", "schemas", "samples")


def test_wheel_ships_every_data_file(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "-o",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("drgen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in DATA_FOLDERS:
        tracked = [p for p in (REPO / folder).rglob("*") if p.is_file()]
        assert tracked, f"{folder}/ is empty"
        for path in tracked:
            inside = "drgen/_data/" + path.relative_to(REPO).as_posix()
            assert inside in names, f"{inside} missing from the wheel"
    assert "drgen/_data/tools/aws-provider-versions.json" in names  # provider_floor reads it
    assert "drgen/cli.py" in names
