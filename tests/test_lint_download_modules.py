"""`drgen lint --download-modules`: registry and git module sources fetched, then analysed.

The registry is served by the test on loopback (http.server in a thread) and speaks Terraform's
module registry protocol; the git source is a repository in the test's folder. No other network.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import threading
import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from drgen.lint.cli.lint_command import LintOptions, run_lint
from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.modules.registry_protocol import FetchError, check_url, scheme_for
from drgen.lint.modules.sources import GetterSource, RegistrySource, parse_source
from drgen.lint.modules.versions import newest_allowed
from drgen.lint.topology.project import build_project

BUCKET_MODULE = """
variable "name" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}
"""
TABLE_MODULE = """
resource "aws_dynamodb_table" "this" {
  name         = "dl-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
"""


def _tar(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode("utf-8")
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


class Registry:
    """Routes of a loopback module registry, and how often each path was asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: Counter[str] = Counter()
        self.host = ""

    def json(self, path: str, value: object) -> None:
        self.routes[path] = (200, {"Content-Type": "application/json"}, json.dumps(value).encode())

    def module(self, path: str, versions: dict[str, tuple[str, bytes]]) -> None:
        """``path`` = namespace/name/provider; versions: version -> (archive kind, bytes)."""
        self.json(
            f"/v1/modules/{path}/versions",
            {"modules": [{"versions": [{"version": v} for v in versions]}]},
        )
        for version, (kind, data) in versions.items():
            archive = f"/archives/{path.replace('/', '-')}-{version}.{kind}"
            get = f"{archive}//modules/main" if kind == "zip" else archive
            self.routes[f"/v1/modules/{path}/{version}/download"] = (
                204,
                {"X-Terraform-Get": get},
                b"",
            )
            self.routes[archive] = (200, {}, data)


@pytest.fixture
def registry() -> Iterator[Registry]:
    served = Registry()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests[self.path] += 1
            status, headers, body = served.routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.host = f"127.0.0.1:{server.server_address[1]}"
    served.json("/.well-known/terraform.json", {"modules.v1": "/v1/modules/"})
    served.module(
        "acme/bucket/aws",
        {
            "1.2.0": ("tar.gz", _tar({"main.tf": BUCKET_MODULE})),
            "1.3.0-beta": ("tar.gz", _tar({"main.tf": TABLE_MODULE})),
            "2.0.0": ("tar.gz", _tar({"main.tf": TABLE_MODULE})),
        },
    )
    served.module("acme/nested/aws", {"0.1.0": ("zip", _zip({"modules/main/t.tf": TABLE_MODULE}))})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()


def _git_repository(folder: Path) -> Path:
    (folder / "modules" / "table").mkdir(parents=True)
    (folder / "modules" / "table" / "main.tf").write_text(TABLE_MODULE, encoding="utf-8")

    def git(*arguments: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *arguments],
            cwd=folder,
            check=True,
            capture_output=True,
        )

    git("init", "--quiet")
    git("add", ".")
    git("commit", "--quiet", "-m", "table module")
    git("tag", "v1")
    return folder


def _root(tmp_path: Path, registry: Registry, calls: str = "") -> Path:
    repository = _git_repository(tmp_path / "modules-repo")
    root = tmp_path / "infra"
    root.mkdir()
    (root / "main.tf").write_text(
        f"""
provider "aws" {{
  region = "us-east-1"
}}

module "assets" {{
  source  = "{registry.host}/acme/bucket/aws"
  version = "~> 1.0"
  name    = "dl-assets"
}}

module "sessions" {{
  source = "git::file://{repository}//modules/table?ref=v1"
}}
{calls}""",
        encoding="utf-8",
    )
    return root


def test_without_the_flag_remote_modules_are_listed_as_not_analysed(
    tmp_path: Path, registry: Registry
) -> None:
    project, _ = build_project([_root(tmp_path, registry)], use_cache=False)
    assert [r.address for r in project.roots[0].resources] == []
    assert len(project.not_analysed) == 2
    assert not registry.requests


def test_registry_and_git_modules_are_fetched_and_linted(
    tmp_path: Path, registry: Registry
) -> None:
    root = _root(tmp_path, registry)
    project, errors = build_project([root], use_cache=False, download_modules=True)
    assert errors == [] and project.not_analysed == []
    resources = {r.address: r for r in project.roots[0].resources}
    # ~> 1.0 picks 1.2.0: not the prerelease, not 2.0.0 (whose module declares a table)
    assert sorted(resources) == [
        "module.assets.aws_s3_bucket.this",
        "module.sessions.aws_dynamodb_table.this",
    ]
    bucket = resources["module.assets.aws_s3_bucket.this"]
    assert bucket.values.get("bucket") == "dl-assets" and bucket.region == "us-east-1"
    # reports name a fetched file by its source (and version), never by a temporary folder
    assert bucket.file == f"{registry.host}/acme/bucket/aws@1.2.0/main.tf"
    table = resources["module.sessions.aws_dynamodb_table.this"]
    repository = tmp_path / "modules-repo"
    assert table.file == f"git::file://{repository}?ref=v1/modules/table/main.tf"
    assert registry.requests["/archives/acme-bucket-aws-1.2.0.tar.gz"] == 1
    findings = lint_project(project, load_policies(), today=date(2026, 12, 1))
    flagged = {(f.rule_id, f.resource) for f in findings}
    assert ("DR001", "module.assets.aws_s3_bucket.this") in flagged
    assert ("DR004", "module.sessions.aws_dynamodb_table.this") in flagged


def test_a_registry_package_subfolder_from_x_terraform_get_is_the_module(
    tmp_path: Path, registry: Registry
) -> None:
    call = f'\nmodule "nested" {{\n  source = "{registry.host}/acme/nested/aws"\n}}\n'
    project, _ = build_project(
        [_root(tmp_path, registry, call)], use_cache=False, download_modules=True
    )
    addresses = {r.address for r in project.roots[0].resources}
    assert "module.nested.aws_dynamodb_table.this" in addresses


def test_a_fetched_module_calling_a_remote_module_gets_it_fetched_too(
    tmp_path: Path, registry: Registry
) -> None:
    wrapper = f'module "inner" {{\n  source = "{registry.host}/acme/nested/aws"\n}}\n'
    registry.module("acme/wrapper/aws", {"1.0.0": ("tar.gz", _tar({"main.tf": wrapper}))})
    call = f'\nmodule "outer" {{\n  source = "{registry.host}/acme/wrapper/aws"\n}}\n'
    project, _ = build_project(
        [_root(tmp_path, registry, call)], use_cache=False, download_modules=True
    )
    assert project.not_analysed == []
    (table,) = [r for r in project.roots[0].resources if r.module_path == ("outer", "inner")]
    assert table.address == "module.outer.module.inner.aws_dynamodb_table.this"
    assert table.file == f"{registry.host}/acme/nested/aws@0.1.0/modules/main/t.tf"


def test_cached_packages_are_reused_and_a_tampered_one_is_fetched_again(
    tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRGEN_CACHE_KEY", "test-key")
    root = _root(tmp_path, registry)
    cache = tmp_path / "cache"
    archive = "/archives/acme-bucket-aws-1.2.0.tar.gz"

    def addresses() -> list[str]:
        project, _ = build_project([root], cache_dir=cache, download_modules=True)
        assert project.not_analysed == []
        return sorted(f"{r.file} {r.address}" for r in project.roots[0].resources)

    first = addresses()
    assert addresses() == first
    assert registry.requests[archive] == 1  # the second run read the cache
    (cached,) = [
        p for p in (cache / "modules-v1").glob("*/package/main.tf") if "bucket" in p.read_text()
    ]
    with cached.open("a", encoding="utf-8") as stream:
        stream.write('resource "aws_s3_bucket" "planted" {\n  bucket = "x"\n}\n')
    assert addresses() == first  # the planted resource never reaches the model
    assert registry.requests[archive] == 2
    monkeypatch.setenv("DRGEN_CACHE_KEY", "another-key")  # a forged manifest: fetched again
    assert addresses() == first
    assert registry.requests[archive] == 3


def test_fetch_failures_leave_the_call_not_analysed_with_the_reason(
    tmp_path: Path, registry: Registry
) -> None:
    registry.module("acme/evil/aws", {"1.0.0": ("tar.gz", _tar({"../outside.tf": TABLE_MODULE}))})
    calls = f"""
module "evil" {{
  source = "{registry.host}/acme/evil/aws"
}}

module "missing" {{
  source = "{registry.host}/acme/missing/aws"
}}

module "too_new" {{
  source  = "{registry.host}/acme/bucket/aws"
  version = ">= 3.0"
  name    = "x"
}}

module "bucket_storage" {{
  source = "s3::https://s3.amazonaws.com/bucket/module.zip"
}}
"""
    root = _root(tmp_path, registry, calls)
    project, _ = build_project([root], use_cache=False, download_modules=True)
    reasons = "\n".join(project.not_analysed)
    assert "would be written outside its folder" in reasons
    assert "/versions: HTTP 404" in reasons
    assert "lists no version of" in reasons and "matching '>= 3.0'" in reasons
    assert "a source drgen does not fetch" in reasons
    assert not (tmp_path / "outside.tf").exists()
    assert len(project.not_analysed) == 4


def test_lint_command_with_download_and_require_modules(
    tmp_path: Path,
    registry: Registry,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DRGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DRGEN_CACHE_KEY", "test-key")
    root = _root(tmp_path, registry)
    options = LintOptions(paths=[root], quiet=True, formats=["json"], require_modules=True)
    assert run_lint(options) == 2  # not analysed without the flag
    capsys.readouterr()
    options.download_modules = True
    assert run_lint(options) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["not_analysed"] == []
    assert {"DR001", "DR004"} <= {f["rule_id"] for f in report["findings"]}
    assert list((tmp_path / "cache" / "modules-v1").glob("*/manifest"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "terraform-aws-modules/s3-bucket/aws",
            RegistrySource("registry.terraform.io", "terraform-aws-modules", "s3-bucket", "aws"),
        ),
        (
            "app.terraform.io/acme/net/aws//modules/vpc",
            RegistrySource("app.terraform.io", "acme", "net", "aws", "modules/vpc"),
        ),
        (
            "github.com/acme/modules//s3?ref=v1.2.0",
            GetterSource("git", "https://github.com/acme/modules.git", "v1.2.0", "s3"),
        ),
        (
            "git::https://example.com/vpc.git//sub?ref=main&depth=1",
            GetterSource("git", "https://example.com/vpc.git", "main", "sub"),
        ),
        ("git@github.com:acme/m.git", GetterSource("git", "ssh://git@github.com/acme/m.git")),
        (
            "https://example.com/vpc.zip",
            GetterSource("archive", "https://example.com/vpc.zip", archive="zip"),
        ),
        (
            "https://example.com/get?archive=tar.gz",
            GetterSource("archive", "https://example.com/get", archive="tar.gz"),
        ),
        ("s3::https://s3.amazonaws.com/b/m.zip", None),
        ("hg::http://example.com/vpc.hg", None),
    ],
)
def test_module_sources_parse_as_terraform_reads_them(
    source: str, expected: RegistrySource | GetterSource | None
) -> None:
    assert parse_source(source) == expected


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("", "2.0.0"),
        ("~> 1.0", "1.2.5"),
        ("~> 1.2.0", "1.2.5"),
        ("< 2.0.0, != 1.2.5", "1.2.0"),
        ("= 1.3.0-beta", "1.3.0-beta"),
        ("1.2.0", "1.2.0"),
        (">= 3", None),
        ("not a constraint", None),
    ],
)
def test_version_constraints_pick_the_newest_allowed(constraint: str, expected: str | None) -> None:
    versions = ["0.9.1", "1.0.0", "1.2.0", "1.2.5", "1.3.0-beta", "2.0.0"]
    assert newest_allowed(versions, constraint) == expected


def test_plain_http_only_to_this_machine() -> None:
    assert scheme_for("registry.terraform.io") == "https"
    assert scheme_for("127.0.0.1:8080") == "http" and scheme_for("localhost") == "http"
    check_url("http://[::1]:9000/x")
    with pytest.raises(FetchError, match="https only"):
        check_url("http://example.com/module.zip")
    with pytest.raises(FetchError, match="https only"):
        check_url("file:///etc/passwd")
