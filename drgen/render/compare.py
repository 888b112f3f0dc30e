"""What differs between a rendered tree and the folder on disk (for --check and --diff).

Reads only inside the output folder, by descriptor (tree_io): paths come from the rendered
tree and a validated manifest, links are never followed, only regular files are opened
and no more than the size limit is read. Line ends compare as ``render`` compares them:
CRLF on disk reads as LF, so a Windows checkout of an up-to-date tree is up to date.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from drgen.render.lock import output_locked
from drgen.render.manifest import JOURNAL_NAME, load_manifest
from drgen.render.tree_io import OnDisk, inspect
from drgen.render.write_plan import single_root_upgrade


@dataclass(frozen=True)
class Difference:
    name: str
    before: str | None  # text on disk (CRLF read as LF); None when absent or not readable
    after: str | None  # rendered text; None when a render would remove the file
    note: str = ""  # why the file on disk was not read ("is a symbolic link", ...)


@dataclass(frozen=True)
class Comparison:
    differences: list[Difference]
    interrupted: bool  # a killed render's journal is waiting to be finished
    single_root: bool = False  # a drgen 0.1 tree: render refuses it without --migrate-layout


def compare_tree(out: Path, files: dict[str, str]) -> Comparison:
    """Every path a render would create, change or remove, sorted by name."""
    try:
        folder = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return Comparison([Difference(name, None, text) for name, text in files.items()], False)
    try:
        with output_locked(folder, out, shared=True):
            return _compare(folder, out, files)
    finally:
        os.close(folder)


def _compare(folder: int, out: Path, files: dict[str, str]) -> Comparison:
    changes: dict[str, Difference] = {}
    for name, text in files.items():
        before, note = _read(inspect(folder, name))
        if before != text.replace("\r\n", "\n"):
            changes[name] = Difference(name, before, text, note)
    manifest = load_manifest(folder, out)
    for name in manifest.files if manifest else ():
        if name not in files:
            before, note = _read(inspect(folder, name))
            if before is not None:
                changes[name] = Difference(name, before, None, note)
    interrupted = inspect(folder, JOURNAL_NAME, limit=0).kind != "absent"
    single_root = manifest is not None and single_root_upgrade(manifest, files)
    return Comparison([changes[name] for name in sorted(changes)], interrupted, single_root)


def _read(state: OnDisk) -> tuple[str | None, str]:
    if state.kind == "absent":
        return None, ""
    if state.data is None:
        what = "is over the size limit" if state.is_file else f"is {_KINDS[state.kind]}"
        return None, f"{state.where + ': ' if state.where else ''}{what}; not read"
    text = state.data.replace(b"\r\n", b"\n").decode("utf-8", errors="replace")
    return text, ""


_KINDS = {
    "folder": "a folder",
    "link": "a symbolic link",
    "special": "a special file",
    "notfolder": "a file where a folder belongs",
}


def unified_diff(comparison: Comparison) -> str:
    """A unified diff from the tree on disk to the rendered tree ('' when identical)."""
    chunks: list[str] = []
    for change in comparison.differences:
        if change.note:
            chunks.append(f"# {change.name}: {change.note}\n")
        chunks.extend(
            difflib.unified_diff(
                _lines(change.before or ""),
                _lines(change.after or ""),
                fromfile=f"a/{change.name}" if change.before is not None else "/dev/null",
                tofile=f"b/{change.name}" if change.after is not None else "/dev/null",
            )
        )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in chunks
    )


def _lines(text: str) -> list[str]:
    """Lines split at "\\n" only (str.splitlines also splits at U+2028, form feeds ...)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)
