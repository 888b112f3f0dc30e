"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never a mix.

The new bytes go to a temporary file in the target's own folder; it is flushed to disk,
given the old file's mode (and owner, where allowed), renamed over the target, and the
folder is flushed so the rename itself survives a power loss. A symbolic link or anything
but a regular file at the target is refused: drgen never writes through a link.

``write_text``/``write_bytes`` are for whole files named by the user (reports, baselines,
starter specs); they raise DrgenError (exit 2) naming the file. ``replace_at``/``create_at``
are the same steps relative to an open folder, for callers that walk a tree by descriptor.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from pathlib import Path

from drgen import faults
from drgen.errors import DrgenError, Problem

_TEMP_TAG = ".drgen-tmp-"
_TOKEN = re.compile(r"[0-9a-f]{8}")
_HINTS = {
    errno.ENOSPC: "free some disk space and run again",
    errno.EDQUOT: "free some space in your quota and run again",
    errno.EACCES: "check the folder's permissions, or choose another path",
    errno.EPERM: "check the folder's permissions, or choose another path",
    errno.EROFS: "the file system is read-only: choose another path",
    errno.ELOOP: "the path contains a symbolic link loop: choose another path",
}


def write_text(path: Path, text: str, *, replace: bool = True) -> None:
    """Write ``text`` as UTF-8 with "\\n" line ends; see :func:`write_bytes`."""
    write_bytes(path, text.encode("utf-8"), replace=replace)


def write_bytes(path: Path, data: bytes, *, replace: bool = True) -> None:
    """Atomically make ``path`` hold ``data``, creating missing parent folders.

    With ``replace=False`` an existing file is never overwritten (FileExistsError-style
    refusal, exit 2). Any failure leaves the previous file untouched.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise write_error(path, error) from None
    try:
        if replace:
            replace_at(folder, path.name, data)
        else:
            create_at(folder, path.name, data)
    except FileExistsError:
        raise DrgenError(
            Problem(
                "refusing to overwrite an existing file",
                file=str(path),
                hint="choose another path, or delete the file first",
            )
        ) from None
    except NotRegularFileError as error:
        raise DrgenError(Problem(str(error), file=str(path), hint=error.hint)) from None
    except OSError as error:
        raise write_error(path, error) from None
    finally:
        os.close(folder)


_KIND_MESSAGES = {
    "link": "is a symbolic link; drgen never writes or reads through a link",
    "folder": "is a folder; drgen writes only regular files",
    "special": "is a special file (FIFO, socket or device); drgen writes only regular files",
    "notfolder": "is a file where drgen needs a folder",
}
_KIND_HINTS = {
    "link": "remove the link, or choose another path",
    "folder": "move the folder away, or choose another path",
    "special": "remove it, or choose another path",
    "notfolder": "move the file away, or choose another path",
}


class NotRegularFileError(OSError):
    """The target is a link, a folder, a FIFO or a device (``kind``): drgen will not touch it."""

    def __init__(self, kind: str, where: str = "") -> None:
        super().__init__(errno.EEXIST, _KIND_MESSAGES[kind])
        self.kind = kind  # "link", "folder", "special", or "notfolder" (a file on the way)
        self.where = where  # the offending path component, when it is not the target itself
        self.hint = _KIND_HINTS[kind]

    def __str__(self) -> str:
        return str(self.strerror)


def kind_of(mode: int) -> str:
    """The NotRegularFileError kind of a non-regular ``st_mode``."""
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special"


def write_error(path: Path, error: OSError) -> DrgenError:
    """A located, exit-2 message for an OS error while writing ``path``."""
    reason = error.strerror or str(error)
    return DrgenError(
        Problem(
            f"cannot write: {reason} (any previous file is unchanged)",
            file=str(path),
            hint=_HINTS.get(error.errno or 0, "check the path and run again"),
        )
    )


def replace_at(
    folder: int, name: str, data: bytes, *, temp_name: str | None = None, sync_folder: bool = True
) -> None:
    """Atomically replace (or create) ``name`` in the open ``folder``, keeping its mode.

    ``temp_name`` fixes the temporary file's name (a journal can then find it after a
    crash); by default it is random. ``sync_folder=False`` leaves flushing the folder to a
    caller that writes many files into it. Raises NotRegularFileError for a link or non-file.
    """
    old = existing_file(folder, name)
    temp = temp_name or temp_name_for(name)
    _write_temp(folder, temp, data, old)
    try:
        faults.step()
        os.rename(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        _discard(folder, temp)
        raise
    if sync_folder:
        fsync_folder(folder)


def create_at(folder: int, name: str, data: bytes, *, temp_name: str | None = None) -> None:
    """Atomically create ``name`` in ``folder``; FileExistsError if anything is there."""
    temp = temp_name or temp_name_for(name)
    _write_temp(folder, temp, data, None)
    try:
        faults.step()
        os.link(temp, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    finally:
        _discard(folder, temp)
    fsync_folder(folder)


def existing_file(folder: int, name: str) -> os.stat_result | None:
    """lstat of ``name`` when it is a regular file, None when absent; refuse anything else."""
    try:
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if stat.S_ISREG(info.st_mode):
        return info
    raise NotRegularFileError(kind_of(info.st_mode))


def temp_name_for(name: str, token: str | None = None) -> str:
    """The hidden temporary name beside ``name``: ``.<name>.drgen-tmp-<8 hex>``.

    ``token`` (8 hex digits) makes it predictable, for a journal to find after a crash;
    by default it is random. The name is kept well short of NAME_MAX.
    """
    return f".{name[:200]}{_TEMP_TAG}{token or secrets.token_hex(4)}"


def is_temp_name(name: str, of: str | None = None) -> bool:
    """Whether ``name`` is an atomic-write temporary file (beside ``of``, when given)."""
    head, tag, tail = name.rpartition(_TEMP_TAG)
    shaped = bool(tag) and head.startswith(".") and bool(_TOKEN.fullmatch(tail))
    return shaped and (of is None or head == f".{of[:200]}")


def fsync_folder(folder: int) -> None:
    """Flush a folder's entries (renames, links, unlinks) to disk."""
    faults.step()
    os.fsync(folder)


def _write_temp(folder: int, temp: str, data: bytes, old: os.stat_result | None) -> None:
    # Private until complete (0o600); then the old file's mode, or what umask gives a new one.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    faults.step()
    handle = os.open(temp, flags, 0o600 if old else 0o666, dir_fd=folder)
    try:
        view = memoryview(data)
        while view:
            faults.step()
            view = view[os.write(handle, view) :]
        if old is not None:
            os.fchmod(handle, stat.S_IMODE(old.st_mode))
            _keep_owner(handle, old)
        faults.step()
        os.fsync(handle)
    except BaseException:
        os.close(handle)
        _discard(folder, temp)
        raise
    os.close(handle)


def _keep_owner(handle: int, old: os.stat_result) -> None:
    mine = os.fstat(handle)
    if (mine.st_uid, mine.st_gid) != (old.st_uid, old.st_gid):
        with contextlib.suppress(PermissionError):  # only root may give a file away
            os.fchown(handle, old.st_uid, old.st_gid)


def _discard(folder: int, temp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp, dir_fd=folder)
