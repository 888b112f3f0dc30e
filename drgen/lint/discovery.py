"""Find the Terraform files to analyse and name them relative to the scanned base."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

TF_SUFFIXES = (".tf", ".tf.json")


def is_terraform(name: str) -> bool:
    return name.endswith(TF_SUFFIXES)


def is_tfvars(name: str) -> bool:
    """terraform.tfvars(.json) and *.auto.tfvars(.json): values a root applies to variables."""
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json")
    )


def relative_base(paths: Sequence[Path]) -> Path:
    """The directory file names are relative to: the one folder given, else the cwd."""
    if len(paths) == 1:
        only = paths[0]
        return only if only.is_dir() else only.parent
    return Path.cwd()


def display_name(path: Path, base: Path) -> str:
    """``path`` as a posix path relative to ``base`` ("." for the base itself)."""
    return Path(os.path.relpath(path.absolute(), base.absolute())).as_posix()


def terraform_directories(paths: Sequence[Path]) -> list[Path]:
    """Every directory holding .tf/.tf.json files under ``paths`` (hidden and .terraform skipped).

    A file given directly contributes its directory.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_file():
            found.add(path.parent)
            continue
        for directory, subdirs, files in os.walk(path):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            if any(is_terraform(name) for name in files):
                found.add(Path(directory))
    return sorted(found)


def directory_files(directory: Path) -> tuple[list[Path], list[Path]]:
    """The directory's Terraform files and its tfvars files, each sorted by name."""
    try:
        names = sorted(entry.name for entry in os.scandir(directory) if entry.is_file())
    except OSError:
        return [], []
    terraform = [directory / n for n in names if is_terraform(n)]
    tfvars = [directory / n for n in names if is_tfvars(n)]
    return terraform, tfvars
