"""One render at a time per output folder: flock on the folder itself.

Locking the folder's descriptor needs no lock file in the user's tree. File systems whose
flock cannot lock a folder (NFS maps flock to POSIX locks, which need a writable file)
fall back to a POSIX lock on ``.drgen.lock`` in the folder. A second render does not
wait: it stops with a clear message (exit 2), so scripts never pile up behind a hung one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from drgen.errors import DrgenError, Problem

LOCK_FILE = ".drgen.lock"
_UNSUPPORTED = {errno.EBADF, errno.ENOLCK, errno.EINVAL, errno.EOPNOTSUPP}


@contextlib.contextmanager
def output_locked(out: int, out_path: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the output folder's lock (exclusive to write, shared to read) for the block."""
    try:
        fcntl.flock(out, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        raise _busy(out_path, shared) from None
    except OSError as error:
        if error.errno not in _UNSUPPORTED:
            raise
        with _lock_file(out, out_path, shared=shared):
            yield
        return
    try:
        yield
    finally:
        fcntl.flock(out, fcntl.LOCK_UN)


@contextlib.contextmanager
def _lock_file(out: int, out_path: Path, *, shared: bool) -> Iterator[None]:
    flags = os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_RDONLY if shared else os.O_RDWR | os.O_CREAT)
    try:
        handle = os.open(LOCK_FILE, flags, 0o644, dir_fd=out)
    except FileNotFoundError:  # reading, and no render ever locked this folder
        yield
        return
    try:
        try:
            fcntl.lockf(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EAGAIN):
                raise _busy(out_path, shared) from None
            raise
        yield
    finally:
        os.close(handle)  # closing releases the POSIX lock


def _busy(out_path: Path, shared: bool) -> DrgenError:
    return DrgenError(
        Problem(
            "another drgen render is writing this folder right now",
            file=str(out_path),
            hint="wait for it to finish, then run again"
            if shared
            else "wait for the other render to finish (or stop it), then run again",
        )
    )
