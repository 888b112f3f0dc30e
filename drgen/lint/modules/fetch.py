"""Fetch a go-getter package (git, or an HTTP(S) archive) into an empty folder.

git runs as a subprocess (``git clone``, no prompt, no submodules, no hooks of the clone
run). An archive is read into memory within a size limit and unpacked member by member:
only regular files and folders, no absolute path, no ``..``, no link, within a file count
and a total size, so a hostile package cannot write outside the folder.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

from drgen.lint.modules.registry_protocol import FetchError, get
from drgen.lint.modules.sources import GetterSource

MAX_ARCHIVE_BYTES = 64 << 20
MAX_UNPACKED_BYTES = 256 << 20
MAX_FILES = 20000
GIT_TIMEOUT_SECONDS = 300
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


def fetch_package(source: GetterSource, into: Path) -> None:
    """Put the package ``source`` names into the (empty, existing) folder ``into``."""
    if source.kind == "git":
        _clone(source, into)
    else:
        data, _ = get(source.url, MAX_ARCHIVE_BYTES)
        unpack(data, source.archive, into)


def _clone(source: GetterSource, into: Path) -> None:
    environment = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_ASKPASS": "true",
        "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
    }
    commit = bool(_COMMIT.match(source.ref))
    clone = ["git", "-c", "core.hooksPath=/dev/null", "clone", "--quiet", "--no-recurse-submodules"]
    if source.ref and not commit:
        clone += ["--depth", "1", "--branch", source.ref]
    _git([*clone, "--", source.url, str(into)], environment, source.url)
    if commit:
        checkout = ["git", "-C", str(into), "checkout", "--quiet", source.ref, "--"]
        _git(checkout, environment, source.url)
    shutil.rmtree(into / ".git", ignore_errors=True)  # lint reads the files, not the history


def _git(command: list[str], environment: dict[str, str], url: str) -> None:
    try:
        run = subprocess.run(
            command,
            env=environment,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FetchError(f"{url}: git failed: {error}") from None
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["git failed"])[-1]
        raise FetchError(f"{url}: {last}")


def unpack(data: bytes, archive: str, into: Path) -> None:
    """Unpack a zip or tar(.gz) archive into ``into``; FetchError on any unsafe member."""
    try:
        if archive == "zip":
            _unzip(data, into)
        else:
            _untar(data, into)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as error:
        raise FetchError(f"cannot unpack the archive: {error}") from None


def _safe_path(into: Path, name: str) -> Path:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        raise FetchError(f"archive member {name!r} would be written outside its folder")
    return into.joinpath(*path.parts)


class _Budget:
    def __init__(self) -> None:
        self.files = 0
        self.size = 0

    def file(self) -> None:
        self.files += 1
        self.bytes(0)

    def bytes(self, size: int) -> None:
        self.size += size
        if self.files > MAX_FILES or self.size > MAX_UNPACKED_BYTES:
            raise FetchError("the archive unpacks to too many files or bytes")


def _untar(data: bytes, into: Path) -> None:
    budget = _Budget()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive:
            target = _safe_path(into, member.name)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            if not member.isfile():
                raise FetchError(f"archive member {member.name!r} is not a regular file")
            budget.file()
            budget.bytes(member.size)
            stream = archive.extractfile(member)
            if stream is None:
                raise FetchError(f"archive member {member.name!r} cannot be read")
            _write(target, stream.read(member.size))


def _unzip(data: bytes, into: Path) -> None:
    budget = _Budget()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            target = _safe_path(into, member.filename)
            mode = member.external_attr >> 16
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            if mode and (mode & 0o170000) not in (0, 0o100000):
                raise FetchError(f"archive member {member.filename!r} is not a regular file")
            budget.file()
            with archive.open(member) as stream:
                content = stream.read(MAX_UNPACKED_BYTES - budget.size + 1)
            budget.bytes(len(content))  # what it holds, whatever its header claims
            _write(target, content)


def _write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    handle = os.open(target, flags, 0o644)
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
