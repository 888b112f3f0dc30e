"""Terraform's module registry protocol, as ``terraform init`` speaks it.

``GET https://HOST/.well-known/terraform.json`` names the ``modules.v1`` base URL;
``GET <base><namespace>/<name>/<provider>/versions`` lists the versions;
``GET <base>.../<version>/download`` answers with the package's go-getter address in the
``X-Terraform-Get`` header, relative to that URL when it is relative. HTTPS only, except to a
loopback address (a registry or mirror on this machine). Responses are size-limited JSON.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urljoin, urlsplit

from drgen.lint.modules.sources import RegistrySource
from drgen.lint.modules.versions import newest_allowed

TIMEOUT_SECONDS = 30
MAX_JSON_BYTES = 4 << 20


class FetchError(Exception):
    """Why a module could not be fetched (shown in the not-analysed list)."""


def registry_package(source: RegistrySource, constraint: str) -> tuple[str, str]:
    """(version chosen, the package's go-getter address) for a registry module call."""
    base = _modules_base(source.host)
    path = f"{source.namespace}/{source.name}/{source.provider}"
    listing = _json(urljoin(base, f"{path}/versions"))
    modules = listing.get("modules") if isinstance(listing, dict) else None
    versions = [
        v["version"]
        for module in (modules if isinstance(modules, list) else [])
        if isinstance(module, dict) and isinstance(module.get("versions"), list)
        for v in module["versions"]
        if isinstance(v, dict) and isinstance(v.get("version"), str)
    ]
    version = newest_allowed(versions, constraint)
    if version is None:
        wanted = f"matching {constraint!r}" if constraint else "at all"
        raise FetchError(f"the registry lists no version of {source.address} {wanted}")
    download = urljoin(base, f"{path}/{version}/download")
    _, headers = get(download, MAX_JSON_BYTES)
    location = headers.get("X-Terraform-Get")
    if not location:
        raise FetchError(f"{download} gave no X-Terraform-Get header")
    return version, urljoin(download, location) if _relative(location) else location


def _relative(location: str) -> bool:
    return location.startswith(("/", "./", "../"))  # as terraform init resolves it


def _modules_base(host: str) -> str:
    discovery = f"{scheme_for(host)}://{host}/.well-known/terraform.json"
    services = _json(discovery)
    base = services.get("modules.v1") if isinstance(services, dict) else None
    if not isinstance(base, str):
        raise FetchError(f"{host} offers no module registry (no modules.v1 in {discovery})")
    resolved = urljoin(discovery, base)
    return resolved if resolved.endswith("/") else resolved + "/"


def scheme_for(host: str) -> str:
    """https, or http for a loopback host (127.0.0.1:8080, [::1], localhost)."""
    name = urlsplit(f"//{host}").hostname or ""
    return "http" if is_loopback(name) else "https"


def is_loopback(hostname: str) -> bool:
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname or "")):
        return
    raise FetchError(f"{url}: drgen fetches over https only (http only from this machine)")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to a URL ``check_url`` accepts."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_CheckedRedirects)


def get(url: str, limit: int) -> tuple[bytes, dict[str, str]]:
    """The body (at most ``limit`` bytes) and headers of a GET; FetchError on any failure."""
    check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": "drgen"})
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(limit + 1)
            headers = dict(response.headers.items())
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url}: HTTP {error.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"{url}: {reason}") from None
    if len(body) > limit:
        raise FetchError(f"{url}: larger than {limit} bytes")
    return body, headers


def _json(url: str) -> Any:
    body, _ = get(url, MAX_JSON_BYTES)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise FetchError(f"{url}: not a JSON answer") from None
