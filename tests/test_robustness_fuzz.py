"""Fuzzing spec, config and HCL input (issue 10): mutated real files go through drgen's
readers in a subprocess with CPU and memory limits; anything but a located DrgenError,
a hang or a memory blow-up fails."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.specs.support import sample_text

WORKER = Path(__file__).parent / "fuzz_worker.py"
CONFIG = (
    "policies:\n  enable: [DR001]\n  skip: [DR014]\nseverity:\n  DR007: low\n"
    "min_severity: medium\nstrict: true\nobjectives: {rpo: 15m, rto: 1h}\nexclude: ['x/**']\n"
)
HCL = (
    'variable "region" {\n  default = "us-east-1"\n}\nprovider "aws" {\n  region = var.region\n}\n'
    'locals {\n  names = [for i in range(3) : "b-${i}"]\n}\n'
    '# drgen:ignore[DR001] rebuilt from source\nresource "aws_s3_bucket" "b" {\n'
    "  count  = length(local.names)\n  bucket = local.names[count.index]\n"
    '  tags   = merge({ a = "x" }, { b = "%%{y}" })\n  policy = <<EOT\n{"a": 1}\nEOT\n}\n'
)
# characters that change YAML/HCL structure, plus the classic troublemakers
PIECES = [
    *":-[]{}&*!|>'\"%@`#,?\n\t \\$<=/().0123456789",
    "<<: *a",
    "&a",
    "*a",
    "!!int",
    "!!binary",
    "${",
    "%{",
    "}",
    "\u2028",
    "\x00",
    "\x85",
    "\ud800",
    "9" * 5000,
    "1:20",
    "2020-02-30",
    "\\ud83d",
    "<<EOT\n",
    "EOT\n",
    "/*",
    "*/",
    "drgen:ignore[",
    "]",
    "  ",
    "\n  ",
]
MUTATION = st.tuples(
    st.floats(0, 1), st.integers(0, 20), st.lists(st.sampled_from(PIECES), max_size=4)
)


def mutate(text: str, edits: list[tuple[float, int, list[str]]]) -> str:
    for where, cut, pieces in edits:
        at = int(where * len(text))
        text = text[:at] + "".join(pieces) + text[at + cut :]
    return text


def run_worker(kind: str, folder: Path) -> list[dict[str, str]]:
    done = subprocess.run(
        [sys.executable, str(WORKER), kind, str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    crashes: list[dict[str, str]] = json.loads(done.stdout)
    return crashes


def write_inputs(folder: Path, texts: list[str], name: str) -> None:
    folder.mkdir()
    for index, text in enumerate(texts):
        target = folder / f"{index:03}" if name == "hcl" else folder / f"{index:03}-{name}"
        data = text.encode("utf-8", "surrogatepass")
        if name == "hcl":
            target.mkdir()
            (target / "main.tf").write_bytes(data)
        else:
            target.write_bytes(data)


FUZZ = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
BATCH = st.lists(st.lists(MUTATION, min_size=1, max_size=6), min_size=40, max_size=40)


@FUZZ
@given(batch=BATCH)
def test_mutated_specs_never_crash_or_hang(tmp_path_factory: object, batch: list) -> None:  # type: ignore[type-arg]
    folder = _fresh(tmp_path_factory) / "specs"
    write_inputs(folder, [mutate(sample_text(), edits) for edits in batch], "spec.yaml")
    assert run_worker("spec", folder) == []


@FUZZ
@given(batch=BATCH)
def test_mutated_configs_never_crash_or_hang(tmp_path_factory: object, batch: list) -> None:  # type: ignore[type-arg]
    folder = _fresh(tmp_path_factory) / "configs"
    write_inputs(folder, [mutate(CONFIG, edits) for edits in batch], ".drgen.yaml")
    assert run_worker("config", folder) == []


@FUZZ
@given(batch=BATCH)
def test_mutated_terraform_never_crashes_or_hangs(tmp_path_factory: object, batch: list) -> None:  # type: ignore[type-arg]
    folder = _fresh(tmp_path_factory) / "hcl"
    write_inputs(folder, [mutate(HCL, edits) for edits in batch], "hcl")
    assert run_worker("hcl", folder) == []


def _fresh(factory: object) -> Path:
    import pytest

    assert isinstance(factory, pytest.TempPathFactory)
    return factory.mktemp("fuzz")
