"""Run the real Terraform CLI and the real AWS provider 5.x (a filesystem mirror) on rendered
roots, many roots per Terraform process.

Each root is cut to what 5.x can judge (real_provider_strip.py) and copied, as a child module,
into a harness configuration; one harness holds a batch of roots and a bounded pool runs the
batches, so the provider starts once per batch instead of once per root. The roots' own
provider blocks are cut: a provider configured inside each module would start one provider
process per root, and in `terraform test` it would be the real provider, not the mock; every
child inherits the harness's one `aws` provider (a root has exactly one, without alias).

Validating a root as a child module judges it as validating it alone would: during `validate`
Terraform treats every input variable as unknown in every module, root or child, and the
provider's validators get the same resource configurations. The mocked plan is `terraform test`
with one `mock_provider "aws"` whose values are known at plan time (``override_during = plan``)
and shaped overrides (real_provider_mocks.py), so the provider validates known values.

``terraform init -plugin-dir`` links the mirrored provider into each harness (nothing is copied;
every batch runs the one binary), so no TF_PLUGIN_CACHE_DIR is needed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .real_provider_mocks import RootFacts, input_value, overrides, root_facts
from .real_provider_strip import Tally, strip_root

PLUGIN_DIR = Path(os.environ.get("DRGEN_TF_PLUGIN_DIR", "/opt/tf-plugins"))
PROVIDER_DIR = Path("registry.terraform.io/hashicorp/aws")
PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws"
POOL = 2  # terraform processes at once (the machines have two cores)
BATCHES = 2  # harnesses per run: one per pool slot (each loads the provider schema)
TIMEOUT = 900


@dataclass(frozen=True)
class RealProvider:
    terraform: str
    plugin_dir: Path
    version: str  # the mirrored 5.x release, e.g. "5.100.0"


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def mirrored_versions(plugin_dir: Path) -> list[str]:
    """AWS provider 5.x releases unpacked in the mirror for this platform, lowest first."""
    found = [
        path.parents[1].name
        for path in (plugin_dir / PROVIDER_DIR).glob("5.*/linux_amd64/terraform-provider-aws_*")
        if re.fullmatch(r"5\.\d+\.\d+", path.parents[1].name)
    ]
    return sorted(set(found), key=_release)


def _require(available: bool, what: str) -> None:
    """Skip, with the reason, where Terraform or the mirror is absent, in CI too: neither can be
    installed from the package indexes a CI machine reaches (the brief: optional where the binary
    is absent, required where it is present, so a present toolchain always runs the check)."""
    if not available:
        pytest.skip(f"not installed: {what}")


def require_real_provider() -> RealProvider:
    """Terraform and a mirrored AWS provider 5.x; skip without them."""
    terraform = shutil.which("terraform")
    _require(terraform is not None, "the Terraform CLI (>= 1.11) on PATH")
    versions = mirrored_versions(PLUGIN_DIR)
    _require(
        bool(versions),
        f"AWS provider 5.x unpacked in the plugin mirror {PLUGIN_DIR} (or DRGEN_TF_PLUGIN_DIR): "
        f"terraform providers mirror -platform=linux_amd64 {PLUGIN_DIR}",
    )
    assert terraform is not None
    return RealProvider(terraform, PLUGIN_DIR, versions[-1])


def _env(home: Path) -> dict[str, str]:
    """No credentials, no network: nothing in these runs may reach AWS."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
        "TF_CLI_CONFIG_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def terraform(tool: RealProvider, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool.terraform, *args],
        cwd=cwd,
        env=_env(cwd),
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )


def _init(tool: RealProvider, cwd: Path) -> None:
    done = terraform(
        tool, cwd, "init", "-backend=false", f"-plugin-dir={tool.plugin_dir}", "-input=false"
    )
    if done.returncode != 0:
        raise RuntimeError(f"terraform init failed in {cwd}:\n{done.stdout}{done.stderr}")


def _versions_tf(version: str) -> str:
    return (
        'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
        f'      version = "{version}"\n    }}\n  }}\n}}\n'
    )


def provider_schema(tool: RealProvider, workdir: Path) -> dict[str, Any]:
    """The mirrored provider's own schema (``terraform providers schema -json``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "versions.tf").write_text(_versions_tf(tool.version), encoding="utf-8")
    _init(tool, workdir)
    done = terraform(tool, workdir, "providers", "schema", "-json")
    if done.returncode != 0:
        raise RuntimeError(f"terraform providers schema failed:\n{done.stderr}")
    schema: dict[str, Any] = json.loads(done.stdout)["provider_schemas"][PROVIDER_SOURCE]
    return schema


@dataclass
class Root:
    """One rendered root, cut to what the provider judges."""

    key: str  # "<case id>/<root folder>"
    files: dict[str, str]  # file name -> cut text (without its provider block)
    facts: RootFacts
    tally: Tally


def prepare_root(
    key: str, files: Mapping[str, str], schema: Mapping[str, Any], version: str
) -> Root:
    cut, tally = strip_root(files, schema, version)
    return Root(key, cut, root_facts(files, tally.blocks_cut), tally)


def _module_call(name: str, root: Root) -> str:
    lines = [f'module "{name}" {{', f'  source = "./{name}"']
    lines += [f"  {item.name} = {input_value(item, root.facts)}" for item in root.facts.inputs]
    return "\n".join([*lines, "}", ""])


def _test_file(names: Sequence[str], roots: Sequence[Root], schema: Mapping[str, Any]) -> str:
    """One mock for the whole harness (one provider process), its values known at plan time;
    overrides per root, shaped in that root's region."""
    out = ["  override_during = plan"]
    for name, root in zip(names, roots, strict=True):
        for block, target, values in overrides(root.facts, name, schema):
            body = "".join(f"      {key} = {json.dumps(value)}\n" for key, value in values.items())
            out.append(f"  {block} {{\n    target = {target}\n    values = {{\n{body}    }}\n  }}")
    mock = 'mock_provider "aws" {\n' + "\n\n".join(out) + "\n}\n"
    return mock + '\nrun "mocked_plan" {\n  command = plan\n}\n'


def write_harness(
    directory: Path, roots: Sequence[Root], version: str, schema: Mapping[str, Any]
) -> dict[str, str]:
    """A harness calling each root as a child module (its provider block moved out: a provider
    configured in each module would start a provider process per root) and the test file.
    Returns module name -> root key."""
    directory.mkdir(parents=True, exist_ok=True)
    names = [f"r{index}" for index in range(len(roots))]
    for name, root in zip(names, roots, strict=True):
        child = directory / name
        child.mkdir()
        for file, text in root.files.items():
            (child / file).write_text(text, encoding="utf-8")
    calls = [_module_call(name, root) for name, root in zip(names, roots, strict=True)]
    (directory / "versions.tf").write_text(_versions_tf(version), encoding="utf-8")
    (directory / "main.tf").write_text("\n".join(calls), encoding="utf-8")
    (directory / "tests").mkdir()
    text = _test_file(names, roots, schema)
    (directory / "tests" / "mocked.tftest.hcl").write_text(text, encoding="utf-8")
    return dict(zip(names, (root.key for root in roots), strict=True))


def diagnostics_by_root(
    diagnostics: Iterable[Mapping[str, Any]], modules: Mapping[str, str]
) -> dict[str, list[str]]:
    """Error diagnostics by root key; one without a file in a root goes under ``""``."""
    found: dict[str, list[str]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic.get("severity") != "error":
            continue
        where = diagnostic.get("range", {})
        filename = str(where.get("filename", ""))
        module = filename.split("/", 1)[0]
        line = where.get("start", {}).get("line", "?")
        text = f"{diagnostic.get('summary')}: {diagnostic.get('detail', '')}".strip()
        if module in modules:
            file = filename.split("/", 1)[1]
            found[modules[module]].append(f"{file}:{line}: {text}")
        else:
            found[""].append(f"{filename or '(no file)'}:{line}: {text}")
    return found


def _validate(
    tool: RealProvider, directory: Path, modules: Mapping[str, str]
) -> dict[str, list[str]]:
    done = terraform(tool, directory, "validate", "-json", "-no-color", "-no-tests")
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {"": [f"terraform validate: {done.stdout}{done.stderr}"]}
    return diagnostics_by_root(report.get("diagnostics", []), modules)


def _test(tool: RealProvider, directory: Path, modules: Mapping[str, str]) -> dict[str, list[str]]:
    done = terraform(tool, directory, "test", "-json", "-no-color")
    diagnostics, outcome = [], None  # outcome: the summary (the one run block must pass)
    for line in done.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("type") == "diagnostic":
            diagnostics.append(message["diagnostic"])
        elif message.get("type") == "test_summary":
            outcome = message["test_summary"]
    found = diagnostics_by_root(diagnostics, modules)
    passed = outcome is not None and outcome["status"] == "pass" and outcome["passed"] == 1
    if (done.returncode != 0 or not passed) and not found:
        found[""].append(f"terraform test: {outcome}: {done.stdout[-2000:]}{done.stderr}")
    return found


@dataclass
class Verdicts:
    """Error diagnostics by root key ("" for those no root owns), per check."""

    validate: dict[str, list[str]]
    mocked: dict[str, list[str]]


def _judge_batch(
    tool: RealProvider, directory: Path, modules: Mapping[str, str]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    _init(tool, directory)
    return _validate(tool, directory, modules), _test(tool, directory, modules)


def judge(
    tool: RealProvider, roots: Sequence[Root], schema: Mapping[str, Any], work: Path
) -> Verdicts:
    """Validate and mock-plan every root: ``BATCHES`` harnesses on a pool of ``POOL``."""
    batches = [list(roots[index::BATCHES]) for index in range(BATCHES) if roots[index::BATCHES]]
    jobs = []
    for index, batch in enumerate(batches):
        directory = work / f"batch-{index}"
        jobs.append((directory, write_harness(directory, batch, tool.version, schema)))
    with ThreadPoolExecutor(max_workers=POOL) as pool:
        results = list(pool.map(lambda job: _judge_batch(tool, *job), jobs))
    verdicts = Verdicts(defaultdict(list), defaultdict(list))
    for validated, mocked in results:
        for key, problems in validated.items():
            verdicts.validate[key] += problems
        for key, problems in mocked.items():
            verdicts.mocked[key] += problems
    return verdicts
