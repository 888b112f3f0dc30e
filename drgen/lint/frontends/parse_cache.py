"""Content-hash cache of parsed files that cannot change a finding.

Threat model: the cache folder is untrusted. CI restores it across branches and from pull
requests of forks, so anyone who can run a job can put files there. An entry therefore
counts only when it carries an HMAC-SHA256, under a key kept outside the cache folder, of
its cache key (the sha256 of the source bytes, parser, syntax and format version) and its
bytes. A swapped entry (another file's), a forged one (no key), a truncated or corrupt one,
a link or anything that is not a regular file is a miss, never a result. Entries are
data-only JSON (drgen.lint.frontends.parse_cache_codec), never pickle, so a hostile one
cannot run code.

The key: ``$DRGEN_CACHE_KEY`` when set (in CI a secret, which fork jobs do not receive, so
what they write is a miss for everyone else), else a random per-user key file
``$XDG_CONFIG_HOME/drgen/cache.key`` (``~/.config/drgen``), created 0600 on first use.
Without a usable key lint simply runs uncached.

Writes never follow links: every folder below the cache folder is opened with
O_NOFOLLOW, the entry is written to a fresh temporary file (O_EXCL) and renamed into place
inside that folder. Concurrent runs are safe; any failure only costs speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from drgen.bounded_read import UnreadableFile, read_regular
from drgen.lint.frontends.parse_cache_codec import (
    InvalidEntry,
    decode_parsed_file,
    encode_parsed_file,
)
from drgen.lint.frontends.parsed import ParsedFile

# bump when ParsedFile, the codec or any parser's output changes shape; "1" was pickle,
# "2" unauthenticated JSON: neither is ever read again
FORMAT_VERSION = "3"
KEY_ENVIRONMENT = "DRGEN_CACHE_KEY"
_MAC_BYTES = 64  # hex digits of the HMAC-SHA256 that opens every entry
_MAX_ENTRY_BYTES = 256 << 20
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def default_cache_dir() -> Path:
    """$DRGEN_CACHE_DIR, else $XDG_CACHE_HOME/drgen, else ~/.cache/drgen."""
    override = os.environ.get("DRGEN_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "drgen"


def default_key_file() -> Path:
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg) if xdg else Path.home() / ".config") / "drgen" / "cache.key"


def cache_secret(key_file: Path | None = None) -> bytes | None:
    """The key entries are authenticated with; None when there is none to be had."""
    supplied = os.environ.get(KEY_ENVIRONMENT)
    if supplied:
        return hashlib.sha256(supplied.encode("utf-8", "surrogateescape")).digest()
    path = key_file or default_key_file()
    try:
        key = read_regular(path, 4096, follow_links=False)
    except FileNotFoundError:
        return _new_key_file(path)
    except OSError:  # a link, a folder, unreadable: never trust or overwrite it
        return None
    if len(key) < 32 or not _private(path):
        return None
    return key


def _new_key_file(path: Path) -> bytes | None:
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        handle = os.open(path, flags, 0o600)
    except FileExistsError:  # another run created it first: use theirs
        return cache_secret(path)
    except OSError:
        return None
    try:
        os.write(handle, key)
    finally:
        os.close(handle)
    return key


def _private(path: Path) -> bool:
    """Readable by its owner alone, and owned by the user running drgen."""
    status = path.lstat()
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def cache_key(data: bytes, kind: str) -> str:
    """``kind`` names the parser and the file syntax, e.g. ``tree-sitter:hcl``."""
    digest = hashlib.sha256(f"{FORMAT_VERSION}:{kind}:".encode())
    digest.update(data)
    return digest.hexdigest()


class ParseCache:
    def __init__(self, directory: Path, secret: bytes) -> None:
        self.directory = directory
        self.secret = secret
        self.folder_names = (f"parse-v{FORMAT_VERSION}",)

    def _path(self, key: str) -> Path:
        """Where the entry for ``key`` lives (for tests and tools; reads never follow it)."""
        return self.directory.joinpath(*self.folder_names, key[:2], f"{key[2:]}.json")

    def _mac(self, key: str, payload: bytes) -> bytes:
        tag = hmac.new(self.secret, key.encode("ascii") + b"\n", hashlib.sha256)
        tag.update(payload)
        return tag.hexdigest().encode("ascii")

    def get(self, key: str) -> ParsedFile | None:
        folder = self._folder(key, create=False)
        if folder is None:
            return None
        try:
            data = _read_entry(folder, f"{key[2:]}.json")
        except OSError:
            return None
        finally:
            os.close(folder)
        mac, payload = data[:_MAC_BYTES], data[_MAC_BYTES + 1 :]
        if data[_MAC_BYTES : _MAC_BYTES + 1] != b"\n" or not hmac.compare_digest(
            mac, self._mac(key, payload)
        ):
            return None  # swapped, forged or damaged: a miss
        try:
            return decode_parsed_file(payload)
        except (InvalidEntry, RecursionError):
            return None

    def put(self, key: str, parsed: ParsedFile) -> None:
        """Store an entry; a cache that cannot be written only costs speed."""
        try:
            payload = encode_parsed_file(parsed)
        except (TypeError, RecursionError):  # a value outside the model, or nested too deep
            return
        folder = self._folder(key, create=True)
        if folder is None:
            return
        try:
            _write_entry(folder, f"{key[2:]}.json", self._mac(key, payload) + b"\n" + payload)
        except OSError:
            pass
        finally:
            os.close(folder)

    def _folder(self, key: str, *, create: bool) -> int | None:
        """A descriptor of ``<cache>/parse-vN/<key[:2]>``, no link followed below the cache
        folder itself; None when it is missing (and not to be created) or not a folder."""
        try:
            current = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            if not create:
                return None
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                current = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError:
                return None
        for name in (*self.folder_names, key[:2]):
            try:
                if create:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(name, 0o700, dir_fd=current)
                child = os.open(name, _FOLDER_FLAGS, dir_fd=current)
            except OSError:
                os.close(current)
                return None
            os.close(current)
            current = child
        return current


def _read_entry(folder: int, name: str) -> bytes:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    handle = os.open(name, flags, dir_fd=folder)
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_size > _MAX_ENTRY_BYTES:
            raise UnreadableFile("not a regular file within the size limit")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(handle, 1 << 16):
            size += len(chunk)
            if size > _MAX_ENTRY_BYTES:
                raise UnreadableFile("larger than the size limit")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def _write_entry(folder: int, name: str, data: bytes) -> None:
    temporary = f".{name}.{secrets.token_hex(8)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    handle = os.open(temporary, flags, 0o600, dir_fd=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise
