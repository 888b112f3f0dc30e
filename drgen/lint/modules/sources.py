"""A module call's ``source`` as Terraform reads it: a registry address or a go-getter one.

Registry: ``[HOST/]NAMESPACE/NAME/PROVIDER[//SUBDIR]`` (HOST defaults to
registry.terraform.io), its version chosen by the call's ``version`` constraint. Go-getter
addresses drgen fetches: git (``git::URL``, ``github.com/ORG/REPO``, ``git@HOST:PATH``) with an
optional ``?ref=``, and HTTP(S) archives (``.zip``, ``.tar.gz``, ``.tgz``, ``.tar``, or
``?archive=``); each may name a ``//SUBDIR`` inside the package. Anything else (S3, GCS,
Mercurial, ...) is not fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_REGISTRY = "registry.terraform.io"
_LABEL = r"[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?"
_REGISTRY = re.compile(
    rf"^(?:(?P<host>[0-9A-Za-z.-]+\.[A-Za-z0-9-]+(?::\d+)?|localhost(?::\d+)?|"
    rf"\d+\.\d+\.\d+\.\d+(?::\d+)?)/)?(?P<namespace>{_LABEL})/(?P<name>{_LABEL})/"
    rf"(?P<provider>[0-9a-z]{{1,64}})(?://(?P<subdir>[^?]*))?$"
)
_GITHUB = re.compile(r"^github\.com/(?P<path>[\w.-]+/[\w.-]+?)(?:\.git)?(?P<rest>(?://|\?|$).*)")
_SCP_GIT = re.compile(
    r"^(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<path>[^?]+?)(?P<rest>(?://|\?|$).*)"
)
_ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar")


@dataclass(frozen=True)
class RegistrySource:
    host: str
    namespace: str
    name: str
    provider: str
    subdir: str = ""

    @property
    def address(self) -> str:
        return f"{self.host}/{self.namespace}/{self.name}/{self.provider}"


@dataclass(frozen=True)
class GetterSource:
    kind: str  # "git" or "archive"
    url: str  # without the subdir and the go-getter parameters (ref, archive)
    ref: str = ""  # git: the branch, tag or commit (``?ref=``)
    subdir: str = ""
    archive: str = ""  # archive: "zip", "tar.gz", "tgz" or "tar"


def parse_source(source: str) -> RegistrySource | GetterSource | None:
    """What a module call's source names; None when drgen cannot fetch it."""
    registry = _REGISTRY.match(source)
    if registry is not None and "://" not in source:
        return RegistrySource(
            (registry.group("host") or DEFAULT_REGISTRY).lower(),
            registry.group("namespace"),
            registry.group("name"),
            registry.group("provider"),
            _clean_subdir(registry.group("subdir") or ""),
        )
    return parse_getter(source)


def parse_getter(address: str) -> GetterSource | None:
    """A go-getter address (a module source, or a registry's ``X-Terraform-Get``)."""
    forced, _, rest = (
        address.partition("::") if "::" in address.split("/", 1)[0] else ("", "", address)
    )
    github = _GITHUB.match(rest)
    if not forced and github is not None:
        forced, rest = "git", f"https://github.com/{github.group('path')}.git{github.group('rest')}"
    scp = _SCP_GIT.match(rest)
    if scp is not None and "://" not in rest:
        forced = forced or "git"
        rest = (
            f"ssh://{scp.group('user')}@{scp.group('host')}/{scp.group('path')}{scp.group('rest')}"
        )
    url, subdir = _split_subdir(rest)
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http", "ssh", "file") or not (parts.netloc or parts.path):
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    parameters = dict(query)
    kept = urlencode([(k, v) for k, v in query if k not in ("ref", "archive", "depth")])
    bare = urlunsplit((parts.scheme, parts.netloc, parts.path, kept, ""))
    if forced == "git" or (not forced and parts.path.endswith(".git")):
        return GetterSource("git", bare, parameters.get("ref", ""), subdir)
    archive = parameters.get("archive") or next(
        (a.lstrip(".") for a in _ARCHIVES if parts.path.endswith(a)), ""
    )
    if forced in ("", "http", "https") and parts.scheme in ("https", "http") and archive:
        return GetterSource("archive", bare, "", subdir, archive)
    return None


def _split_subdir(address: str) -> tuple[str, str]:
    """``https://h/p.git//modules/x?ref=v1`` -> (``https://h/p.git?ref=v1``, ``modules/x``)."""
    scheme_end = address.find("://")
    start = scheme_end + 3 if scheme_end >= 0 else 0
    query_at = address.find("?", start)
    body, query = (address, "") if query_at < 0 else (address[:query_at], address[query_at:])
    split = body.find("//", start)
    if split < 0:
        return address, ""
    return body[:split] + query, _clean_subdir(body[split + 2 :])


def _clean_subdir(subdir: str) -> str:
    return subdir.strip("/")
