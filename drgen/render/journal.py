"""The render journal: every change one render makes, written down before the first of them.

A render writes ``.drgen-journal.json`` (atomically) before it touches the tree, then
applies it with :func:`finish`: each file replaced atomically, old files removed, the new
manifest written last, the journal deleted. A render killed at any point leaves the
journal behind; the next render finishes it first. Each step is checked against what the
plan saw (``before``), so finishing twice changes nothing and a file someone changed in
between is left alone. The journal sits in the user's folder, so it is validated like the
manifest before it is used.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from drgen import atomic, bounded_json, faults
from drgen.render.manifest import (
    JOURNAL_NAME,
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    check_tree_path,
    parse_manifest,
    sha256_bytes,
    sha256_text,
)
from drgen.render.tree_io import FILE_LIMIT, TooLargeError, folder_of, read_regular

JOURNAL_LIMIT = 64 * 1024 * 1024
_FORMAT = 1
_KEYS = {"format", "token", "manifest", "writes", "removals"}
_TOKEN = re.compile(r"[0-9a-f]{8}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Write:
    path: str
    text: str
    before: str | None  # sha256 of the exact bytes planned over; None: the path was absent


@dataclass(frozen=True)
class Removal:
    path: str
    before: str  # sha256 of the exact bytes of the unedited file drgen wrote


@dataclass(frozen=True)
class Journal:
    token: str  # names this render's temporary files, so a later run can find them
    manifest: Manifest
    writes: tuple[Write, ...]
    removals: tuple[Removal, ...]

    @classmethod
    def new(cls, manifest: Manifest, writes: list[Write], removals: list[Removal]) -> Journal:
        return cls(secrets.token_hex(4), manifest, tuple(writes), tuple(removals))

    def to_text(self) -> str:
        body = {
            "format": _FORMAT,
            "token": self.token,
            "manifest": self.manifest.to_text(),
            "writes": [{"path": w.path, "text": w.text, "before": w.before} for w in self.writes],
            "removals": [{"path": r.path, "before": r.before} for r in self.removals],
        }
        return json.dumps(body, indent=1, sort_keys=True) + "\n"


def parse_journal(text: str) -> Journal:
    """The journal in ``text``; ManifestError (or JsonShapeError) saying what is wrong."""
    raw = bounded_json.loads(text, max_depth=3)
    if not isinstance(raw, dict) or set(raw) != _KEYS or raw["format"] != _FORMAT:
        raise ManifestError(f"the journal must be an object with the keys {', '.join(_KEYS)}")
    if not isinstance(raw["token"], str) or not _TOKEN.fullmatch(raw["token"]):
        raise ManifestError("token must be 8 lowercase hex digits")
    if not isinstance(raw["manifest"], str):
        raise ManifestError("manifest must be the manifest's text")
    manifest = parse_manifest(raw["manifest"])
    writes = tuple(_parse_write(item, manifest) for item in _list(raw["writes"], "writes"))
    removals = tuple(_parse_removal(item, manifest) for item in _list(raw["removals"], "removals"))
    return Journal(raw["token"], manifest, writes, removals)


def _list(value: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ManifestError(f"{key} must be a list of objects")
    return value


def _parse_write(item: dict[str, Any], manifest: Manifest) -> Write:
    if set(item) != {"path", "text", "before"} or not isinstance(item["text"], str):
        raise ManifestError("a write needs exactly path, text and before")
    path, before = check_tree_path(item["path"]), item["before"]
    if before is not None and not (isinstance(before, str) and _SHA256.fullmatch(before)):
        raise ManifestError(f"{path!r}: before must be null or a sha256 hash")
    try:
        if manifest.files.get(path) != sha256_text(item["text"]):
            raise ManifestError(f"{path!r}: the text does not match the journal's manifest")
    except UnicodeEncodeError:
        raise ManifestError(f"{path!r}: the text is not valid UTF-8") from None
    return Write(path, item["text"], before)


def _parse_removal(item: dict[str, Any], manifest: Manifest) -> Removal:
    if set(item) != {"path", "before"} or not isinstance(item["before"], str):
        raise ManifestError("a removal needs exactly path and before")
    path = check_tree_path(item["path"])
    if not _SHA256.fullmatch(item["before"]) or path in manifest.files:
        raise ManifestError(f"{path!r}: not a removal the journal's manifest allows")
    return Removal(path, item["before"])


def remove_stale_journal_temps(out: int) -> None:
    """Delete temporary journal files a killed render left (drgen's own, by their exact name)."""
    for name in os.listdir(out):
        if atomic.is_temp_name(name, of=JOURNAL_NAME) and _hash_if_file(out, name) is not None:
            faults.step()
            os.unlink(name, dir_fd=out)


def write_journal(out: int, journal: Journal) -> None:
    atomic.replace_at(out, JOURNAL_NAME, journal.to_text().encode("utf-8"))


def finish(out: int, journal: Journal) -> list[str]:
    """Apply ``journal`` to the open output folder; the paths left alone as changed meanwhile.

    An OSError carries the tree path it happened on in ``filename``.
    """
    changed: list[str] = []
    for write in journal.writes:
        with _naming(write.path):
            if not _apply_write(out, write, journal):
                changed.append(write.path)
    for parent in sorted({write.path.rpartition("/")[0] for write in journal.writes}):
        inside = f"{parent}/x" if parent else "x"  # any name in that folder
        with _naming(parent or "."), folder_of(out, inside, create=False) as held:
            if held is not None:  # every rename in it is on disk before the manifest is
                atomic.fsync_folder(held)
    for removal in journal.removals:
        with _naming(removal.path):
            _apply_removal(out, removal)
    with _naming(MANIFEST_NAME):
        _replace(out, MANIFEST_NAME, journal.manifest.to_text().encode("utf-8"), journal)
    with _naming(JOURNAL_NAME):
        faults.step()
        os.unlink(JOURNAL_NAME, dir_fd=out)
        atomic.fsync_folder(out)
    return changed


def _apply_write(out: int, write: Write, journal: Journal) -> bool:
    """Put ``write`` in place unless the file changed since the plan; False when it did."""
    data = write.text.encode("utf-8")
    base = write.path.rsplit("/", 1)[-1]
    with folder_of(out, write.path, create=True) as folder:
        assert folder is not None  # created on the way
        current = _exact_hash(folder, base)
        if current == sha256_bytes(data):
            return True
        if current != write.before:
            return False
        _replace(folder, base, data, journal, sync_folder=False)
    return True


def _replace(
    folder: int, base: str, data: bytes, journal: Journal, *, sync_folder: bool = True
) -> None:
    """atomic.replace_at with this journal's temporary name (one a kill left is removed)."""
    temp = atomic.temp_name_for(base, journal.token)
    if _hash_if_file(folder, temp) is not None:
        faults.step()
        os.unlink(temp, dir_fd=folder)
    atomic.replace_at(folder, base, data, temp_name=temp, sync_folder=sync_folder)


def _apply_removal(out: int, removal: Removal) -> None:
    """Delete the file drgen wrote, if it is still exactly that; then its emptied folders."""
    base = removal.path.rsplit("/", 1)[-1]
    with folder_of(out, removal.path, create=False) as folder:
        if folder is None or _hash_if_file(folder, base) != removal.before:
            return
        faults.step()
        os.unlink(base, dir_fd=folder)
        atomic.fsync_folder(folder)
    parents = removal.path.split("/")[:-1]
    while parents:  # an emptied folder goes too; one holding anything else stays
        with folder_of(out, "/".join(parents), create=False) as holder:
            if holder is None:
                return
            try:
                faults.step()
                os.rmdir(parents[-1], dir_fd=holder)
            except OSError:
                return
            atomic.fsync_folder(holder)
        parents.pop()


def _exact_hash(folder: int, name: str) -> str | None:
    """sha256 of regular file ``name`` in ``folder``; None when absent.

    A link, folder or special file raises NotRegularFileError; over the limit, TooLargeError.
    """
    try:
        return sha256_bytes(read_regular(folder, name, FILE_LIMIT))
    except FileNotFoundError:
        return None


def _hash_if_file(folder: int, name: str) -> str | None:
    """sha256 of ``name`` when it is a regular file within the limit, else None."""
    try:
        return _exact_hash(folder, name)
    except (atomic.NotRegularFileError, TooLargeError):
        return None


@contextlib.contextmanager
def _naming(path: str) -> Iterator[None]:
    """Give an OSError raised inside the tree path it happened on."""
    try:
        yield
    except OSError as error:
        if isinstance(error, atomic.NotRegularFileError):
            error.where = error.where or path
        else:
            error.filename = path
        raise
