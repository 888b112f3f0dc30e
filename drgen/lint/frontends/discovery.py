"""Find the Terraform files to analyse and name them relative to the scanned base."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from drgen.errors import DrgenError, Problem
from drgen.printable import printable

TF_SUFFIXES = (".tf", ".tf.json")


def is_terraform(name: str) -> bool:
    return name.endswith(TF_SUFFIXES)


def is_tfvars(name: str) -> bool:
    """terraform.tfvars(.json) and *.auto.tfvars(.json): values a root applies to variables."""
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json")
    )


def check_paths(paths: Sequence[Path]) -> None:
    """Every path given to lint exists and can be looked at; else DrgenError, one problem each
    (a missing path, a symbolic link loop, no permission)."""
    problems: list[Problem] = []
    for path in paths:
        try:
            path.stat()
        except OSError as error:
            reason = "no such file or directory" if error.errno == errno.ENOENT else error.strerror
            hint = "fix or remove the link" if error.errno == errno.ELOOP else "check the path"
            problems.append(Problem(str(reason), file=printable(str(path)), hint=hint))
    if problems:
        raise DrgenError(problems)


def resolved(path: Path) -> Path:
    """``path.resolve()``, except that a link loop resolves to the path as written (Python
    raises RuntimeError there; callers then find no folder at it)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def relative_base(paths: Sequence[Path]) -> Path:
    """The directory file names are relative to: the one folder given, else the cwd."""
    if len(paths) == 1:
        only = paths[0]
        return only if only.is_dir() else only.parent
    return Path.cwd()


def display_name(path: Path, base: Path) -> str:
    """``path`` as a posix path relative to ``base`` ("." for the base itself), printable."""
    return printable(Path(os.path.relpath(path.absolute(), base.absolute())).as_posix())


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


def tree_root(base: Path) -> Path:
    """The tree lint may read: the repository holding ``base`` (the nearest folder with
    ``.git``), else ``base`` itself. Symbolic links leaving it are never followed."""
    base = base.resolve()
    for folder in (base, *base.parents):
        if (folder / ".git").exists():
            return folder
    return base


@dataclass
class DirectoryFiles:
    """A folder's Terraform and tfvars files (sorted by name), and the entries that look like
    Terraform but cannot be read: (file name, why), each reported as a file error."""

    terraform: list[Path] = field(default_factory=list)
    tfvars: list[Path] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def directory_files(directory: Path, tree: Path) -> DirectoryFiles:
    """What lint reads in ``directory``; a link is followed only to a file inside ``tree``
    outside its hidden folders (never to ~/.git-credentials or .git/config)."""
    found = DirectoryFiles()
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        found.problems.append((".", f"cannot list the folder: {error.strerror}"))
        return found
    for entry in entries:
        name = entry.name
        if not (is_terraform(name) or is_tfvars(name)):
            continue
        problem = _unreadable(Path(entry.path), tree)
        if problem == "":
            continue  # a folder named like a file: Terraform skips it too
        if problem is not None:
            found.problems.append((name, problem))
        elif is_terraform(name):
            found.terraform.append(directory / name)
        else:
            found.tfvars.append(directory / name)
    return found


def _unreadable(path: Path, tree: Path) -> str | None:
    """Why lint will not read ``path`` (None: it will; "": silently skipped, a folder)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link that loops; fix or remove the link"
        return f"cannot read file: {error.strerror} (a broken symbolic link?)"
    if stat.S_ISDIR(mode):
        return ""
    if not stat.S_ISREG(mode):
        return "cannot read file: it is not a regular file (a named pipe, socket or device)"
    if path.is_symlink() and not _inside(path.resolve(), tree):
        return (
            "a symbolic link to a file outside the linted repository (or into a hidden folder);"
            " drgen does not follow it: copy the file in, or lint the folder it points to"
        )
    return None


def _inside(target: Path, tree: Path) -> bool:
    if not target.is_relative_to(tree):
        return False
    return not any(part.startswith(".") for part in target.relative_to(tree).parts[:-1])
