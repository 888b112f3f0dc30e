"""Write a rendered tree into its output folder without ever losing a file (docs/write-protocol.md).

Under the folder's lock: finish any render a kill interrupted (its journal), plan the
changes (refusing hand edits and anything drgen did not write), write the journal, then
apply it in place: per-file atomic replacements, removals of drgen's own unedited files,
the manifest last. Nothing is moved or renamed except drgen's own temporary files, so the
folder (``-o .``, a mount point) keeps its inode and owner. SIGINT, SIGTERM and SIGHUP wait
while the journal is applied; a SIGKILL or power loss leaves the journal for the next run.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from drgen import atomic
from drgen.errors import DrgenError, Problem
from drgen.render.journal import (
    JOURNAL_LIMIT,
    Journal,
    finish,
    parse_journal,
    remove_stale_journal_temps,
    write_journal,
)
from drgen.render.lock import output_locked
from drgen.render.manifest import (
    JOURNAL_NAME,
    Manifest,
    check_tree_path,
    load_manifest,
)
from drgen.render.tree_io import inspect
from drgen.render.write_plan import plan_writes

_DEFERRED_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
_SPARE = 1024 * 1024  # folders, inodes and the manifest, generously


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)  # created or changed
    removed: list[str] = field(default_factory=list)  # no longer rendered, unedited
    kept_edited: list[str] = field(default_factory=list)  # no longer rendered but edited by hand
    left_alone: list[str] = field(default_factory=list)  # listed, now a folder/link: not drgen's
    changed_meanwhile: list[str] = field(default_factory=list)  # changed while drgen wrote
    recovered: bool = False  # an interrupted render's journal was finished first


def write_tree(
    out: Path,
    files: dict[str, str],
    manifest: Manifest,
    *,
    force: bool,
    migrate_layout: bool = False,
) -> WriteResult:
    """Make ``out`` hold ``files`` and ``manifest``; DrgenError (exit 2) when it must not."""
    for name in files:
        check_tree_path(name)
    folder, created = _open_output(out)
    try:
        with output_locked(folder, out):
            result = WriteResult(recovered=_recover(folder, out))
            old = load_manifest(folder, out)
            plan = plan_writes(folder, out, files, old, force=force, migrate_layout=migrate_layout)
            if plan.problems:
                raise DrgenError(plan.problems)
            result.written = [write.path for write in plan.writes]
            result.removed = [removal.path for removal in plan.removals]
            result.kept_edited, result.left_alone = plan.kept_edited, plan.left_alone
            if not plan.writes and not plan.removals and old == manifest:
                return result
            journal = Journal.new(manifest, plan.writes, plan.removals)
            _check_free_space(folder, out, journal)
            with _signals_deferred():
                try:
                    write_journal(folder, journal)
                except OSError as error:
                    raise atomic.write_error(out / JOURNAL_NAME, error) from None
                created = False  # from here on the folder holds a journal to finish
                result.changed_meanwhile = _finish(folder, out, journal)
            return result
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                out.rmdir()  # only when still empty: drgen made it and wrote nothing
        raise
    finally:
        os.close(folder)


def _open_output(out: Path) -> tuple[int, bool]:
    """The output folder's descriptor, and whether this call created the folder."""
    created = False
    try:
        try:
            return os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC), created
        except FileNotFoundError:
            out.mkdir(parents=True)
            created = True
            return os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC), created
    except OSError as error:
        if error.errno == errno.ENOTDIR:
            raise DrgenError(
                Problem(
                    "output path exists and is not a directory",
                    file=str(out),
                    hint="choose another --output folder",
                )
            ) from None
        raise atomic.write_error(out, error) from None


def _check_free_space(folder: int, out: Path, journal: Journal) -> None:
    """Refuse up front when the journal and the new files cannot fit (disk full midway is rare)."""
    needed = 2 * len(journal.to_text().encode("utf-8")) + _SPARE
    info = os.fstatvfs(folder)
    free = info.f_bavail * info.f_frsize
    if free < needed:
        raise DrgenError(
            Problem(
                f"not enough free space to render ({free // 1024} KiB free, "
                f"{needed // 1024} KiB needed); nothing was changed",
                file=str(out),
                hint="free some disk space and run again",
            )
        )


def _recover(folder: int, out: Path) -> bool:
    """Finish the render a kill interrupted, if any; whether there was one."""
    remove_stale_journal_temps(folder)
    state = inspect(folder, JOURNAL_NAME, limit=JOURNAL_LIMIT)
    if state.kind == "absent":
        return False
    try:
        if state.data is None:
            raise ValueError("over the size limit" if state.is_file else "not a file")
        journal = parse_journal(state.data.decode("utf-8"))
    except ValueError as error:
        raise DrgenError(
            Problem(
                f"drgen journal of an interrupted render is damaged ({error})",
                file=str(out / JOURNAL_NAME),
                hint="check the tree (for example with `git status`), restore what is "
                "missing, delete the journal and render again",
            )
        ) from None
    with _signals_deferred():
        _finish(folder, out, journal)
    return True


def _finish(folder: int, out: Path, journal: Journal) -> list[str]:
    try:
        return finish(folder, journal)
    except atomic.NotRegularFileError as error:
        raise DrgenError(
            Problem(
                f"{error}; the render stopped part-way (every file is whole, old or new)",
                file=str(out / error.where),
                hint=f"{error.hint}; the next `drgen render` finishes the rest",
            )
        ) from None
    except OSError as error:
        path = out / str(error.filename or "")
        problem = atomic.write_error(path, error).problems[0]
        raise DrgenError(
            Problem(
                f"cannot write: {error.strerror or error}; the render stopped part-way "
                "(every file is whole, old or new)",
                file=str(path),
                hint=f"{problem.hint}; the next `drgen render` finishes the rest",
            )
        ) from None


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block is done (delivered right after)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
