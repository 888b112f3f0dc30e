"""Exemptions in the configuration: the glob matcher, located config errors, and waived
findings reported as suppressed (SARIF ``external`` with the justification, text, JSON)."""

from __future__ import annotations

import json
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drgen.config import load_config
from drgen.errors import DrgenError
from drgen.lint.cli.lint_command import LintOptions, run_lint
from drgen.lint.engine.exemptions import GlobError, compile_glob, glob_matches

TEXT = st.text(alphabet="ab.-_", max_size=8)
TOKEN = st.sampled_from(["a", "b", ".", "-", "_", "*", "?", "[ab]", "[!a]", "[.a]"])


def _pattern(tokens: list[str]) -> str:
    """Tokens joined with no run of stars (``**`` is a glob of its own)."""
    out = ""
    for token in tokens:
        if not (token == "*" and out.endswith("*")):
            out += token
    return out


@given(st.lists(TOKEN, min_size=1, max_size=6).map(_pattern), TEXT)
def test_without_a_separator_globs_are_fnmatch(pattern: str, text: str) -> None:
    assert glob_matches(pattern, text) == fnmatchcase(text, pattern)


@given(st.lists(TOKEN, min_size=1, max_size=6).map(_pattern), TEXT)
def test_in_addresses_single_wildcards_stay_inside_one_part(pattern: str, text: str) -> None:
    matched = glob_matches(pattern, text, ".")
    if matched:  # never more than fnmatch, where * crosses dots
        assert fnmatchcase(text, pattern)
    # each part of the text against the part of the pattern: what fnmatch says there
    parts, pieces = text.split("."), pattern.split(".")
    if "[.a]" not in pattern and len(parts) == len(pieces):
        expected = all(fnmatchcase(t, p) for t, p in zip(parts, pieces, strict=True))
        assert matched == expected


@given(st.lists(TOKEN, min_size=1, max_size=6).map(_pattern), TEXT)
def test_double_star_crosses_parts_like_fnmatch_star(pattern: str, text: str) -> None:
    crossing = pattern.replace("*", "**")  # ? and [!...] still never match the separator
    reference = pattern.replace("?", "[!.]").replace("[!a]", "[!a.]")
    assert glob_matches(crossing, text, ".") == fnmatchcase(text, reference)


@given(st.text(alphabet="abc_-0123456789", min_size=1, max_size=12), TEXT)
def test_a_pattern_without_wildcards_matches_only_itself(literal: str, text: str) -> None:
    assert glob_matches(literal, literal, ".")
    assert glob_matches(literal, text, ".") == (text == literal)


@pytest.mark.parametrize(
    ("pattern", "separator", "why"),
    [
        ("logs[ab", ".", "never closed"),
        ("a***", ".", "use * or **"),
        ("aws_**", None, "use *"),
        ("x[]", None, "never closed"),  # as in fnmatch, a ] first in a class is a character
        ("x[!]", None, "never closed"),
        ("", None, "empty"),
    ],
)
def test_patterns_that_are_no_glob_say_why(pattern: str, separator: str | None, why: str) -> None:
    with pytest.raises(GlobError, match=why.replace("*", r"\*")):
        compile_glob(pattern, separator)


def test_address_globs_follow_the_parts_of_an_address() -> None:
    address = "module.shared.aws_s3_bucket.logs_eu"
    assert glob_matches("module.shared.aws_s3_bucket.logs*", address, ".")
    assert glob_matches("module.*.aws_s3_bucket.logs_??", address, ".")
    assert glob_matches("**.aws_s3_bucket.logs_eu", address, ".")
    assert not glob_matches("*.aws_s3_bucket.logs_eu", address, ".")
    assert not glob_matches("module.shared*", address, ".")


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".drgen.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_exemptions_build_with_their_place_in_the_file(tmp_path: Path) -> None:
    path = _config(
        tmp_path,
        "min_severity: low\n"
        "exemptions:\n"
        "  - address: module.x.aws_s3_bucket.logs*\n"
        "    reason: access logs, rebuilt by the service\n"
        "  - tag: {drgen:dr: none}\n"
        "    rules: [DR001, DR02*]\n"
        "    until: 2027-03-31\n"
        "    reason: >-\n"
        "      scratch data\n",
    )
    first, second = load_config(path).exemptions
    assert (first.address, first.reason, first.where) == (
        "module.x.aws_s3_bucket.logs*",
        "access logs, rebuilt by the service",
        f"{path.as_posix()}:3",
    )
    assert second.tags == (("drgen:dr", "none"),)
    assert (second.rules, second.until) == (("DR001", "DR02*"), date(2027, 3, 31))


@pytest.mark.parametrize(
    ("entry", "line", "says"),
    [
        ("  - address: a.b\n    reason: r\n    adress: x\n", 4, "adress"),
        ("  - address: a.b\n", 2, "reason"),
        ("  - reason: why\n", 2, ""),
        ("  - type: aws_s3_bucket\n    reason: '   '\n", 3, "reason"),
        ("  - reason: r\n    address: module.[x\n", 3, "never closed"),
        ("  - reason: r\n    tag: {team: 'a[b'}\n", 3, "never closed"),
        ("  - reason: r\n    type: aws_s3_bucket\n    until: '2027-02-30'\n", 4, "not a date"),
        ("  - reason: r\n    type: aws_s3_bucket\n    rules: [DR 1]\n", 4, "rules"),
    ],
)
def test_bad_exemptions_are_located_errors(
    tmp_path: Path, entry: str, line: int, says: str
) -> None:
    path = _config(tmp_path, "exemptions:\n" + entry)
    with pytest.raises(DrgenError) as raised:
        load_config(path)
    [problem] = raised.value.problems
    assert problem.file == str(path) and problem.line == line, problem
    assert says in f"{problem.message} {problem.json_path}", problem


def test_pyproject_exemptions_read_toml_dates(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[tool.drgen]\nexemptions = [{type = "aws_dynamodb_table", reason = "locks",'
        " until = 2027-01-01}]\n",
        encoding="utf-8",
    )
    [exemption] = load_config(path).exemptions
    assert (exemption.type, exemption.until) == ("aws_dynamodb_table", date(2027, 1, 1))


MODULE = """\
variable "name" {}

resource "aws_s3_bucket" "media_eu" {
  bucket = "${var.name}-media"
}
"""

ROOT = """\
provider "aws" {
  region = "eu-west-1"
}

module "shared" {
  source = "./modules/shared"
  name   = "acme"
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
}

resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
  tags = {
    "drgen:dr" = "none"
  }
}

resource "aws_s3_bucket" "tfstate" {
  bucket = "acme-tfstate-eu"
}

resource "aws_dynamodb_table" "sessions" {
  name     = "sessions"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "infra" / "modules" / "shared").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "infra" / "main.tf").write_text(ROOT, encoding="utf-8")
    (root / "infra" / "modules" / "shared" / "main.tf").write_text(MODULE, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _lint(capsys: pytest.CaptureFixture[str], fmt: str, **options: Any) -> tuple[int, str]:
    capsys.readouterr()
    code = run_lint(
        LintOptions(
            paths=[Path("infra")],
            formats=[fmt],
            quiet=True,
            checks=["DR001", "DR004"],
            today=date(2027, 6, 1),
            **options,
        )
    )
    return code, capsys.readouterr().out


EXEMPTIONS = """\
exemptions:
  - address: module.*.aws_s3_bucket.media*
    reason: media, rebuilt from the originals
  - type: aws_dynamodb_table
    rules: [DR004]
    reason: sessions are recreated at login
  - name: "*-tfstate-*"
    reason: state is re-applied from git
  - tag: {drgen:dr: none}
    until: 2027-03-31
    reason: scratch until the migration
"""


def _by_address(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["resource"]: f for f in document["findings"]}


def test_exempted_findings_are_reported_as_suppressed(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, before = _lint(capsys, "json")
    assert code == 1
    assert not any(f["suppressed"] for f in json.loads(before)["findings"])
    (repo / ".drgen.yaml").write_text(EXEMPTIONS, encoding="utf-8")
    code, out = _lint(capsys, "json")
    found = _by_address(json.loads(out))
    waived = {a: f["exempted_by"] for a, f in found.items() if f["suppressed"]}
    assert waived == {
        "module.shared.aws_s3_bucket.media_eu": ".drgen.yaml:2",
        "aws_dynamodb_table.sessions": ".drgen.yaml:4",
        "aws_s3_bucket.tfstate": ".drgen.yaml:7",
    }
    assert found["aws_dynamodb_table.sessions"]["suppression_reason"] == (
        "sessions are recreated at login"
    )
    scratch = found["aws_s3_bucket.scratch"]  # its exemption expired on 2027-03-31
    assert not scratch["suppressed"]
    assert "(exemption .drgen.yaml:9 expired on 2027-03-31)" in scratch["message"]
    assert code == 1  # invoices and scratch still fail


def test_sarif_marks_exemptions_external_with_their_justification(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".drgen.yaml").write_text(EXEMPTIONS, encoding="utf-8")
    _, out = _lint(capsys, "sarif")
    results = json.loads(out)["runs"][0]["results"]
    suppressions = {
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r.get("suppressions")
        for r in results
    }
    assert suppressions["aws_dynamodb_table.sessions"] == [
        {
            "kind": "external",
            "justification": "sessions are recreated at login",
            "properties": {"exemption": ".drgen.yaml:4"},
        }
    ]
    assert suppressions["aws_s3_bucket.invoices"] is None


def test_text_shows_the_reason_and_the_exemption(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".drgen.yaml").write_text(EXEMPTIONS, encoding="utf-8")
    _, out = _lint(capsys, "text")
    assert "waived: state is re-applied from git (exemption .drgen.yaml:7)" in out


def test_an_exemption_naming_no_policy_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".drgen.yaml").write_text(
        "exemptions:\n  - type: aws_s3_bucket\n    rules: [DR0001]\n    reason: r\n",
        encoding="utf-8",
    )
    with pytest.raises(DrgenError) as raised:
        _lint(capsys, "json")
    [problem] = raised.value.problems
    assert (problem.file, problem.line) == (".drgen.yaml", 2)
    assert "'DR0001' names no policy" in problem.message and "DR001" in (problem.hint or "")


def test_list_suppressions_lists_the_exemptions(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".drgen.yaml").write_text(EXEMPTIONS, encoding="utf-8")
    _, out = _lint(capsys, "text", list_suppressions=True)
    assert ".drgen.yaml:9  *  until 2027-03-31 (EXPIRED)  scratch until the migration" in out
    assert "    exemption for tag drgen:dr=none" in out
    assert out.endswith("0 suppression(s), 4 exemption(s) in the configuration, 1 expired.\n")
