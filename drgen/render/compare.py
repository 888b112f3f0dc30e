"""What differs between a rendered tree and the directory on disk (for --check and --diff)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from drgen.render.manifest import read_manifest

_NO_NEWLINE = "\n\\ No newline at end of file\n"


def differing_files(out: Path, files: dict[str, str]) -> list[str]:
    """Paths that a render would create, change or remove, sorted."""
    return sorted(_on_disk(out, files).keys())


def unified_diff(out: Path, files: dict[str, str]) -> str:
    """A unified diff from the tree on disk to the rendered tree ('' when identical)."""
    chunks: list[str] = []
    for name, (before, after) in sorted(_on_disk(out, files).items()):
        chunks.extend(
            difflib.unified_diff(
                _lines(before),
                _lines(after),
                fromfile=f"a/{name}" if before or (out / name).exists() else "/dev/null",
                tofile=f"b/{name}" if name in files else "/dev/null",
            )
        )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in chunks
    )


def _lines(text: str) -> list[str]:
    """Lines split at "\\n" only (str.splitlines also splits at U+2028, form feeds ...)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _on_disk(out: Path, files: dict[str, str]) -> dict[str, tuple[str, str]]:
    """name -> (text on disk, rendered text) for every file that differs."""
    changes: dict[str, tuple[str, str]] = {}
    for name, text in files.items():
        current = _read(out / name)
        if current != text:
            changes[name] = (current or "", text)
    manifest = read_manifest(out) if out.is_dir() else None
    for name in manifest.files if manifest else ():
        current = _read(out / name)
        if name not in files and current is not None:
            changes[name] = (current, "")
    return changes


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        return path.read_bytes().decode("utf-8", errors="replace")
