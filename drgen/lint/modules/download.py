"""``--download-modules``: remote module calls fetched into drgen's cache, then analysed.

A registry source gets the newest version its call's ``version`` constraint allows (registry
protocol: drgen/lint/modules/registry_protocol.py), a git or archive source the package it names
(drgen/lint/modules/fetch.py); the module is the package's ``//SUBDIR`` when one is named.

The cache folder is untrusted (see drgen/lint/frontends/parse_cache.py): a package is kept in
``<cache>/modules-v1/<sha256 of its address>/`` beside a manifest of every file's sha256,
HMAC-authenticated under the cache key, and is used only while every file, and no other,
matches it; anything else (a changed, added or linked file, a forged manifest) is fetched
again. Without a cache key packages go into a temporary folder removed when lint ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from types import TracebackType

from drgen.lint.modules.fetch import fetch_package
from drgen.lint.modules.registry_protocol import FetchError, registry_package
from drgen.lint.modules.sources import GetterSource, RegistrySource, parse_getter, parse_source

CACHE_FOLDER = "modules-v1"
_MANIFEST = "manifest"
_PACKAGE = "package"


class ModuleDownloads:
    """Fetches each remote package once per run; a context manager (the temporary folder)."""

    def __init__(self, cache_dir: Path, secret: bytes | None) -> None:
        self.secret = secret
        self.cache = cache_dir / CACHE_FOLDER
        self.scratch: Path | None = None
        self.fetched: dict[str, Path | str] = {}  # package key -> its folder, or why not
        self.resolved: dict[tuple[str, str], tuple[str, str] | str] = {}  # registry answers
        self.labels: dict[Path, str] = {}  # package folder -> how reports name it

    def __enter__(self) -> ModuleDownloads:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def label(self, directory: Path) -> str | None:
        """How reports name a folder inside a fetched package: ``<source>[@<version>]/<path>``
        (the same on every machine and run, unlike the folder it was fetched into)."""
        for package, label in self.labels.items():
            if directory == package or directory.is_relative_to(package):
                inside = directory.relative_to(package).as_posix()
                return label if inside == "." else f"{label}/{inside}"
        return None

    def module(self, source: str, version: str) -> Path | str:
        """The folder of the module ``source`` names, or why drgen could not fetch it."""
        parsed = parse_source(source)
        if parsed is None:
            return "a source drgen does not fetch (registry, git and http archives only)"
        try:
            package, subdir = self._package(parsed, version)
        except FetchError as error:
            return str(error)
        module = package.joinpath(*subdir.split("/")) if subdir else package
        if not module.is_dir() or module.is_symlink():
            return f"the package has no folder {subdir!r}"
        return module

    def _package(self, parsed: RegistrySource | GetterSource, version: str) -> tuple[Path, str]:
        subdir, chosen = parsed.subdir, ""
        if isinstance(parsed, RegistrySource):
            chosen, location = self._registry(parsed, version)
            getter = parse_getter(location)
            if getter is None:
                raise FetchError(f"{parsed.address} {chosen} is at {location!r}, not fetchable")
            subdir = "/".join(p for p in (getter.subdir, subdir) if p)
        else:
            getter = parsed
        key = json.dumps([getter.kind, getter.url, getter.ref, getter.archive])
        if key not in self.fetched:
            try:
                self.fetched[key] = self._stored(key, getter)
            except FetchError as error:
                self.fetched[key] = str(error)
        found = self.fetched[key]
        if isinstance(found, str):
            raise FetchError(found)
        label = f"{parsed.address}@{chosen}" if isinstance(parsed, RegistrySource) else None
        self.labels.setdefault(found, label or _getter_label(getter))
        return found, subdir

    def _registry(self, source: RegistrySource, version: str) -> tuple[str, str]:
        """(version, package address), asked of the registry once per source and constraint."""
        if (source.address, version) not in self.resolved:
            try:
                self.resolved[source.address, version] = registry_package(source, version)
            except FetchError as error:
                self.resolved[source.address, version] = str(error)
        answer = self.resolved[source.address, version]
        if isinstance(answer, str):
            raise FetchError(answer)
        return answer

    def _stored(self, key: str, getter: GetterSource) -> Path:
        """The package's folder: the cached one when its manifest holds, else fetched."""
        if self.secret is None:
            package = self._fetch_into(self._scratch(), getter)
            _digests(package)  # no link or special file, as in the cache
            return package.resolve()
        entry = self.cache / hashlib.sha256(key.encode("utf-8")).hexdigest()
        if self._verified(entry, key):
            return (entry / _PACKAGE).resolve()
        folder = self._cache_folder()
        staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=folder))
        package = self._fetch_into(staging, getter)
        manifest = json.dumps(_digests(package), sort_keys=True).encode("utf-8")
        (staging / _MANIFEST).write_bytes(self._mac(key, manifest) + b"\n" + manifest)
        if entry.exists() or entry.is_symlink():
            _remove(entry)
        try:
            staging.rename(entry)
        except OSError:  # another run stored it first: use ours, fetched just now
            return package.resolve()
        return (entry / _PACKAGE).resolve()

    def _fetch_into(self, folder: Path, getter: GetterSource) -> Path:
        target = folder / _PACKAGE
        target.mkdir()
        try:
            fetch_package(getter, target)
        except FetchError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return target

    def _scratch(self) -> Path:
        if self.scratch is None:
            self.scratch = Path(tempfile.mkdtemp(prefix="drgen-modules-"))
        return Path(tempfile.mkdtemp(prefix="entry-", dir=self.scratch))

    def _cache_folder(self) -> Path:
        """``<cache>/modules-v1``, a real folder of this user (never through a link)."""
        try:
            self.cache.mkdir(mode=0o700, parents=True, exist_ok=True)
            status = self.cache.lstat()
        except OSError as error:
            raise FetchError(f"cannot use the cache folder {self.cache}: {error}") from None
        if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid():
            raise FetchError(f"the cache folder {self.cache} is not a folder of this user")
        return self.cache

    def _mac(self, key: str, manifest: bytes) -> bytes:
        assert self.secret is not None
        tag = hmac.new(self.secret, key.encode("utf-8") + b"\n", hashlib.sha256)
        tag.update(manifest)
        return tag.hexdigest().encode("ascii")

    def _verified(self, entry: Path, key: str) -> bool:
        """Whether ``entry`` holds exactly the files its authenticated manifest lists."""
        try:
            if self.cache.is_symlink() or entry.is_symlink():
                return False
            data = (entry / _MANIFEST).read_bytes()
        except OSError:
            return False
        mac, manifest = data[:64], data[65:]
        if data[64:65] != b"\n" or not hmac.compare_digest(mac, self._mac(key, manifest)):
            return False
        try:
            return bool(json.loads(manifest) == _digests(entry / _PACKAGE))
        except (OSError, ValueError, FetchError):
            return False


def _getter_label(getter: GetterSource) -> str:
    reference = f"?ref={getter.ref}" if getter.ref else ""
    return f"{getter.kind}::{getter.url}{reference}"


def _digests(package: Path) -> dict[str, str]:
    """Relative posix path -> sha256 of every file below ``package``; FetchError on a link or
    anything that is neither a file nor a folder."""
    found: dict[str, str] = {}
    if package.is_symlink() or not package.is_dir():
        raise FetchError("the package is not a folder")
    for folder, folders, files in os.walk(package):
        for name in (*folders, *files):
            path = Path(folder) / name
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise FetchError(f"the package holds a link or special file: {name}")
            if stat.S_ISREG(mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[path.relative_to(package).as_posix()] = digest
    return found


def _remove(entry: Path) -> None:
    if entry.is_symlink() or entry.is_file():
        with contextlib.suppress(OSError):
            entry.unlink()
    else:
        shutil.rmtree(entry, ignore_errors=True)
