"""Read a file drgen did not write: only a regular file, and never more than a size limit.

``Path.read_text`` blocks forever on a FIFO and reads ``/dev/zero`` until memory runs out;
here the file is opened without blocking, must be a regular file, and the limit is enforced
while reading (a file that grows after ``stat`` is still cut off).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from drgen.errors import DrgenError, Problem

_CHUNK = 1 << 16
MAX_TERRAFORM_FILE_BYTES = 16 << 20  # lint's limit per file; generated .tf.json reach megabytes


class UnreadableFile(OSError):
    """Not a regular file, or larger than allowed; ``reason`` says which, for messages."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_regular(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises UnreadableFile for anything else (a folder, FIFO, device, socket, a file over the
    limit, a link when ``follow_links`` is False) and OSError when it cannot be opened.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= os.O_NOFOLLOW
    try:
        handle = os.open(path, flags)
    except OSError as error:
        if not follow_links and path.is_symlink():
            raise UnreadableFile("it is a symbolic link") from None
        raise error from None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFile(f"it is {_kind(mode)}, not a regular file")
        data = read_at_most(handle, limit)
        if data is None:
            raise UnreadableFile(f"it is larger than {limit} bytes")
        return data
    finally:
        os.close(handle)


def read_at_most(handle: int, limit: int) -> bytes | None:
    """Everything ``handle`` still holds, or None as soon as it exceeds ``limit`` bytes.

    Never reads more than ``limit + 1`` bytes, so a file that grows while it is read (or
    /dev/zero) cannot exhaust memory.
    """
    chunks: list[bytes] = []
    size = 0
    while chunk := os.read(handle, min(_CHUNK, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return None
    return b"".join(chunks)


def read_text_or_fail(path: Path, limit: int, *, what: str, hint: str) -> str:
    """UTF-8 text of a user's file, or DrgenError ``cannot read <what>: <why>`` (exit 2)."""
    try:
        data = read_regular(path, limit)
    except UnreadableFile as error:
        raise DrgenError(
            Problem(f"cannot read {what}: {error.reason}", file=str(path), hint=hint)
        ) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise DrgenError(
            Problem(f"cannot read {what}: {reason}", file=str(path), hint=hint)
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise DrgenError(
            Problem(
                f"cannot read {what}: it is not UTF-8 text (byte 0x{data[error.start]:02x})",
                file=str(path),
                line=line,
                column=column,
                hint="save the file as UTF-8",
            )
        ) from None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
