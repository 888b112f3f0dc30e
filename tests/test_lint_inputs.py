"""Variable values from outside the root: TF_VAR_*, --var-file and --var, in Terraform's order."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.errors import DrgenError
from drgen.lint.evaluation.inputs import collect_inputs
from drgen.lint.topology.project import build_project

ROOT = """
variable "region" {
  default = "default-region"
}

variable "count_of" {
  type    = number
  default = 0
}

variable "names" {
  type    = list(string)
  default = []
}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "b" {
  bucket = "x"
  tags = {
    count = var.count_of
    first = length(var.names) > 0 ? var.names[0] : "none"
  }
}
"""


def _region_and_tags(
    tmp_path: Path, *, tfvars: str = "", files: tuple[str, ...] = (), flags: tuple[str, ...] = (),
    environ: dict[str, str] | None = None,
) -> tuple[str | None, dict[str, str]]:  # fmt: skip
    (tmp_path / "main.tf").write_text(ROOT, encoding="utf-8")
    if tfvars:
        (tmp_path / "terraform.tfvars").write_text(tfvars, encoding="utf-8")
    paths = []
    for index, text in enumerate(files):
        path = tmp_path / f"extra{index}.tfvars"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    inputs = collect_inputs(paths, list(flags), environ or {})
    project, errors = build_project([tmp_path], use_cache=False, inputs=inputs)
    assert errors == []
    bucket = project.roots[0].resources[0]
    return bucket.region, bucket.tags


def test_environment_is_below_tfvars_and_the_command_line_above(tmp_path: Path) -> None:
    environ = {"TF_VAR_region": "env-region", "TF_VAR_count_of": "3"}
    assert _region_and_tags(tmp_path, environ=environ)[0] == "env-region"
    tfvars = 'region = "tfvars-region"\n'
    assert _region_and_tags(tmp_path, tfvars=tfvars, environ=environ)[0] == "tfvars-region"
    files = ('region = "file-region"\n', 'region = "second-file-region"\n')
    assert _region_and_tags(tmp_path, tfvars=tfvars, files=files)[0] == "second-file-region"
    flags = ("region=flag-region",)
    assert _region_and_tags(tmp_path, tfvars=tfvars, files=files, flags=flags)[0] == "flag-region"


def test_strings_from_flags_and_environment_are_read_by_the_variable_type(tmp_path: Path) -> None:
    _, tags = _region_and_tags(
        tmp_path, flags=("count_of=7", 'names=["a", "b"]'), environ={"TF_VAR_region": "r"}
    )
    assert tags == {"count": "7", "first": "a"}


def test_a_var_file_may_be_json(tmp_path: Path) -> None:
    path = tmp_path / "vars.tfvars.json"
    path.write_text('{"region": "json-region"}', encoding="utf-8")
    inputs = collect_inputs([path], [], {})
    (tmp_path / "main.tf").write_text(ROOT, encoding="utf-8")
    project, _ = build_project([tmp_path], use_cache=False, inputs=inputs)
    assert project.roots[0].resources[0].region == "json-region"


@pytest.mark.parametrize(
    ("files", "flags", "expected"),
    [
        (("missing.tfvars",), (), "cannot read var file"),
        ((), ("no-equals-sign",), "is not NAME=VALUE"),
        ((), ("=value",), "is not NAME=VALUE"),
    ],
)
def test_bad_inputs_are_located_errors(
    tmp_path: Path, files: tuple[str, ...], flags: tuple[str, ...], expected: str
) -> None:
    with pytest.raises(DrgenError) as raised:
        collect_inputs([tmp_path / f for f in files], list(flags), {})
    assert expected in str(raised.value.problems[0].message)


def test_a_var_file_that_does_not_parse_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tfvars"
    path.write_text('region = "ok"\nbroken = {\n', encoding="utf-8")
    with pytest.raises(DrgenError) as raised:
        collect_inputs([path], [], {})
    problem = raised.value.problems[0]
    assert problem.file == str(path) and problem.line is not None
