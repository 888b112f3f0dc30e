"""Content-hash cache of parsed files, safe under concurrent runs.

An entry is keyed by the sha256 of the file's bytes plus the parser and format
version, so an unchanged file is never parsed twice and a changed one never
reuses a stale entry. Entries are data-only JSON (drgen.lint.cache_codec), never
pickle: a cache folder restored from another branch must not be able to run code.
Writes go to a temporary file renamed into place; an entry that cannot be read
is treated as missing (and replaced by the next write).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from drgen.lint.cache_codec import InvalidEntry, decode_parsed_file, encode_parsed_file
from drgen.lint.parsed import ParsedFile

# bump when ParsedFile, the codec or any parser's output changes shape; "1" was pickle,
# whose entries (parse-v1/**.pickle) are never read again
FORMAT_VERSION = "2"


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
        return self.directory / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> ParsedFile | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        try:
            return decode_parsed_file(data)
        except InvalidEntry:  # corrupt, truncated, foreign or hostile: just a miss
            return None

    def put(self, key: str, parsed: ParsedFile) -> None:
        """Store an entry; a cache that cannot be written only costs speed."""
        import tempfile

        try:
            data = encode_parsed_file(parsed)
        except (TypeError, RecursionError):  # a value outside the model, or nested too deep
            return
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            Path(temporary).replace(target)
        except OSError:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
