"""Content-hash cache of parsed files, safe under concurrent runs.

An entry is keyed by the sha256 of the file's bytes plus the parser and format
version, so an unchanged file is never parsed twice and a changed one never
reuses a stale entry. Writes go to a temporary file renamed into place; an
entry that cannot be read is treated as missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from drgen.lint.parsed import ParsedFile

FORMAT_VERSION = "1"  # bump when ParsedFile or any parser's output changes shape


def default_cache_dir() -> Path:
    """$DRGEN_CACHE_DIR, else $XDG_CACHE_HOME/drgen, else ~/.cache/drgen."""
    override = os.environ.get("DRGEN_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "drgen"


def cache_key(data: bytes, kind: str) -> str:
    """``kind`` names the parser and the file syntax, e.g. ``tree-sitter:hcl``."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}:{kind}:".encode())
    digest.update(data)
    return digest.hexdigest()


class ParseCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"parse-v{FORMAT_VERSION}"

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key[2:]}.pickle"

    def get(self, key: str) -> ParsedFile | None:
        import pickle  # imported on first use: an empty folder lints without it

        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        try:
            parsed = pickle.loads(data)
        except Exception:  # a corrupt, truncated or foreign entry is just a miss
            return None
        return parsed if isinstance(parsed, ParsedFile) else None

    def put(self, key: str, parsed: ParsedFile) -> None:
        """Store an entry; a cache that cannot be written only costs speed."""
        import pickle
        import tempfile

        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(parsed, stream, protocol=pickle.HIGHEST_PROTOCOL)
            Path(temporary).replace(target)
        except (OSError, RecursionError):  # RecursionError: a value nested too deep to pickle
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
