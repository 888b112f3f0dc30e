"""Reach files inside an output folder by descriptor: never through a link, never outside it.

Every path below the output folder is walked one component at a time with O_NOFOLLOW, so
a symbolic link (or a folder swapped for one) cannot lead drgen out of the tree. Files are
opened with O_NONBLOCK (a FIFO cannot hang drgen), checked to be regular with fstat, and
read with the size limit enforced while reading.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from drgen import faults
from drgen.atomic import NotRegularFileError, kind_of
from drgen.bounded_read import read_at_most

FILE_LIMIT = 16 * 1024 * 1024  # no rendered file comes near this; bigger ones are not drgen's
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class TooLargeError(OSError):
    """A file is over the size limit; it was not read past the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(errno.EFBIG, f"over the {limit // (1024 * 1024)} MiB limit drgen reads")


@dataclass(frozen=True)
class OnDisk:
    """What a tree path holds: kind "absent", "file" or a NotRegularFileError kind."""

    kind: str
    data: bytes | None = None  # a file's bytes; None when absent, not a file or over the limit
    where: str = ""  # for a non-file: the component at fault when it is a parent folder

    @property
    def is_file(self) -> bool:
        return self.kind == "file"


@contextlib.contextmanager
def folder_of(root: int, name: str, *, create: bool) -> Iterator[int | None]:
    """The folder holding ``name`` (a relative posix path) below ``root``, by descriptor.

    Yields None when a folder on the way is missing and ``create`` is False. Raises
    NotRegularFileError (with ``where``) when a component is a link or not a folder.
    """
    fd = os.dup(root)
    try:
        parts = name.split("/")[:-1]
        for depth, part in enumerate(parts):
            try:
                child = _open_folder(fd, part, create=create)
            except NotRegularFileError as error:
                error.where = "/".join(parts[: depth + 1])
                raise
            if child is None:
                yield None
                return
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def _open_folder(parent: int, part: str, *, create: bool) -> int | None:
    try:
        return os.open(part, _DIR_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            return None
    except OSError as error:
        if error.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
        mode = os.stat(part, dir_fd=parent, follow_symlinks=False).st_mode
        raise NotRegularFileError("notfolder" if stat.S_ISREG(mode) else kind_of(mode)) from None
    faults.step()
    with contextlib.suppress(FileExistsError):
        os.mkdir(part, dir_fd=parent)
    os.fsync(parent)  # the new folder's entry is durable before anything is renamed into it
    return os.open(part, _DIR_FLAGS, dir_fd=parent)


def inspect(root: int, name: str, *, limit: int = FILE_LIMIT) -> OnDisk:
    """What ``name`` is below ``root``; a regular file's bytes when within ``limit``."""
    try:
        with folder_of(root, name, create=False) as folder:
            if folder is None:
                return OnDisk("absent")
            return OnDisk("file", read_regular(folder, name.rsplit("/", 1)[-1], limit))
    except FileNotFoundError:
        return OnDisk("absent")
    except NotRegularFileError as error:
        return OnDisk(error.kind, where=error.where)
    except TooLargeError:
        return OnDisk("file")


def read_regular(folder: int, name: str, limit: int) -> bytes:
    """The bytes of regular file ``name`` in ``folder``, at most ``limit`` of them.

    Raises FileNotFoundError, NotRegularFileError (link, folder, FIFO ...) or TooLargeError.
    """
    try:
        handle = os.open(name, _FILE_FLAGS, dir_fd=folder)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotRegularFileError("link") from None
        raise
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(kind_of(info.st_mode))
        data = read_at_most(handle, limit)
        if data is None:
            raise TooLargeError(limit)
        return data
    finally:
        os.close(handle)
