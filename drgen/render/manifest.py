"""The manifest drgen keeps in a rendered tree: which files it wrote, with their hashes.

The manifest sits in a folder users commit and review, so it is untrusted input: before
any entry is used, the whole file must be small, shallow JSON of the known shape, and
every path relative, normalised, inside the tree and clear of drgen's own bookkeeping.
Hashes are of the text drgen wrote with "\\n" line ends; a file on disk is compared with
CRLF line ends read as LF (a Windows checkout of a rendered tree is not a hand edit).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drgen import bounded_json
from drgen.errors import DrgenError, Problem
from drgen.render.tree_io import inspect

MANIFEST_NAME = ".drgen-manifest.json"
JOURNAL_NAME = ".drgen-journal.json"
FORMAT = 2  # 2: drgen 0.2 (paths may name subfolders); 1: drgen 0.1 (one flat root)
MANIFEST_LIMIT = 1024 * 1024
_MAX_FILES = 10_000
_MAX_PATH_DEPTH = 8
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEYS = {"format", "drgen_version", "spec", "files"}


class ManifestError(ValueError):
    """A manifest or journal that does not have the expected shape; the message says why."""


@dataclass(frozen=True)
class Manifest:
    drgen_version: str
    spec: str  # spec file name, never an absolute path
    files: dict[str, str]  # relative posix path -> sha256 hex of the text drgen wrote
    format: int = FORMAT

    def to_text(self) -> str:
        body = {
            "format": self.format,
            "drgen_version": self.drgen_version,
            "spec": self.spec,
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(body, indent=2, sort_keys=True) + "\n"


def manifest_text(text: str) -> str:
    """``text`` as the manifest may hold it: control characters (and lone surrogates from
    undecodable file names) become "?", at most 255 characters."""
    return "".join(char if char.isprintable() else "?" for char in text)[:255]


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_as_rendered(data: bytes) -> str:
    """The hash of a file on disk with CRLF line ends read as LF (how manifests compare)."""
    return sha256_bytes(data.replace(b"\r\n", b"\n"))


def load_manifest(out: int, out_path: Path) -> Manifest | None:
    """The manifest in the open output folder, or None when there is none; DrgenError if bad."""
    state = inspect(out, MANIFEST_NAME, limit=MANIFEST_LIMIT)
    if state.kind == "absent":
        return None
    try:
        if state.data is None:
            raise ManifestError("over 1 MiB" if state.is_file else f"not a file ({state.kind})")
        return parse_manifest(state.data.decode("utf-8"))
    except ValueError as error:  # ManifestError, JsonShapeError, UnicodeDecodeError
        raise DrgenError(
            Problem(
                f"drgen manifest is damaged ({error})",
                file=str(out_path / MANIFEST_NAME),
                hint="restore it from version control, or move the rendered files away and "
                "render again",
            )
        ) from None


def parse_manifest(text: str) -> Manifest:
    """The manifest in ``text``; ManifestError naming the first thing wrong with it."""
    raw = bounded_json.loads(text, max_depth=2)
    if not isinstance(raw, dict):
        raise ManifestError("the manifest must be a JSON object")
    if set(raw) != _KEYS:
        raise ManifestError(f"the manifest must have exactly the keys {', '.join(sorted(_KEYS))}")
    version = raw["format"]
    if version not in (1, FORMAT) or isinstance(version, bool):
        raise ManifestError(f"unknown manifest format {version!r} (this drgen reads 1 and 2)")
    for key in ("drgen_version", "spec"):  # both reach messages: no control characters
        value = raw[key]
        if not isinstance(value, str) or len(value) > 255 or not value.isprintable():
            raise ManifestError(f"{key} must be a printable string of at most 255 characters")
    return Manifest(raw["drgen_version"], raw["spec"], _files(raw["files"]), version)


def _files(files: Any) -> dict[str, str]:
    if not isinstance(files, dict):
        raise ManifestError("files must map paths to sha256 hashes")
    if len(files) > _MAX_FILES:
        raise ManifestError(f"files lists {len(files)} entries (at most {_MAX_FILES})")
    for name, digest in files.items():
        check_tree_path(name)
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise ManifestError(f"{name!r}: the hash must be 64 lowercase hex digits")
    return dict(files)


def check_tree_path(name: object) -> str:
    """``name`` when it is a path drgen may own in a tree; ManifestError saying why not."""
    if not isinstance(name, str) or not name:
        raise ManifestError(f"{name!r}: a path must be a non-empty string")
    if any(ord(char) < 0x20 or char in "\x7f\\" for char in name):
        raise ManifestError(f"{name!r}: control characters and backslashes are not allowed")
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        raise ManifestError(f"{name!r}: not valid UTF-8") from None
    parts = name.split("/")
    if name.startswith("/") or len(encoded) > 1024:
        raise ManifestError(f"{name!r}: must be a relative path of at most 1024 bytes")
    if any(part in ("", ".", "..") or len(part.encode("utf-8")) > 255 for part in parts):
        raise ManifestError(f"{name!r}: must be normalised (no empty, '.' or '..' parts)")
    if len(parts) > _MAX_PATH_DEPTH:
        raise ManifestError(f"{name!r}: nested deeper than {_MAX_PATH_DEPTH} folders")
    if parts[0].startswith(".drgen") or any(".drgen-tmp-" in part for part in parts):
        raise ManifestError(f"{name!r}: names drgen's own bookkeeping")
    return name
