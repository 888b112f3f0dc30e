"""Write a rendered tree safely: never clobber hand edits, swap the whole tree atomically.

The new tree is built in a staging directory beside the target. Files drgen does not
own (state, .terraform/, the user's own .tf files) are moved into it, then two renames
swap it in. Any failure before the swap moves those files back and deletes the
staging directory, so the previous tree is left exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from drgen.errors import DrgenError, Problem
from drgen.render.manifest import MANIFEST_NAME, Manifest, read_manifest, sha256_file, sha256_text


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)  # created or changed
    removed: list[str] = field(default_factory=list)  # no longer rendered, unedited
    kept_edited: list[str] = field(default_factory=list)  # no longer rendered but edited by hand


def write_tree(out: Path, files: dict[str, str], manifest: Manifest, *, force: bool) -> WriteResult:
    """Replace the drgen-owned files in ``out`` with ``files``; raise DrgenError on conflicts."""
    if out.is_symlink():
        out = out.resolve()  # swap the real directory; the link keeps pointing at it
    old = read_manifest(out) if out.is_dir() else None
    result = _check_conflicts(out, files, old, force=force)
    if out.exists() and not out.is_dir():
        raise DrgenError(Problem("output path exists and is not a directory", file=str(out)))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.drgen-new-", dir=out.parent))
    staging.chmod(out.stat().st_mode & 0o7777 if out.is_dir() else _default_dir_mode())
    moved: list[str] = []  # top-level entries moved from out into staging
    try:
        for name, text in files.items():
            _write_text(staging / name, text)
        _write_text(staging / MANIFEST_NAME, manifest.to_text())
        if out.is_dir():
            owned = (
                {_top(name) for name in files} | {MANIFEST_NAME} | {_top(n) for n in result.removed}
            )
            for entry in sorted(path.name for path in out.iterdir()):
                if entry not in owned:
                    (out / entry).rename(staging / entry)
                    moved.append(entry)
        _swap(staging, out)
    except BaseException:
        for entry in moved:
            (staging / entry).rename(out / entry)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _check_conflicts(
    out: Path, files: dict[str, str], old: Manifest | None, *, force: bool
) -> WriteResult:
    result = WriteResult()
    problems: list[Problem] = []
    recorded = old.files if old else {}
    for name, text in files.items():
        path = out / name
        if not path.is_file():
            result.written.append(name)
            continue
        on_disk = sha256_file(path)
        if on_disk == sha256_text(text):
            continue
        if name not in recorded:
            problems.append(
                Problem(
                    "not written by drgen (no manifest entry); refusing to overwrite it",
                    file=str(path),
                    hint="move or delete the file, or render into an empty directory",
                )
            )
        elif on_disk != recorded[name] and not force:
            problems.append(
                Problem(
                    "edited by hand since drgen rendered it; refusing to overwrite it",
                    file=str(path),
                    hint="move the change into the spec, or re-run with --force to discard it",
                )
            )
        result.written.append(name)
    for name, digest in sorted(recorded.items()):
        path = out / name
        if name in files or not path.is_file():
            continue
        if sha256_file(path) == digest:
            result.removed.append(name)
        else:
            result.kept_edited.append(name)
    if problems:
        raise DrgenError(problems)
    return result


def _swap(staging: Path, out: Path) -> None:
    """Put ``staging`` in place of ``out`` with renames (the old tree survives a failure)."""
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.drgen-old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _default_dir_mode() -> int:
    """What ``mkdir`` would give: 0o777 minus the umask (mkdtemp's 0o700 is too strict)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _top(name: str) -> str:
    return name.split("/", 1)[0]
