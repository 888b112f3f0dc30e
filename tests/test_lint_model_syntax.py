"""Parsing: values, heredocs, BOM, CRLF, .tf.json, and located parse errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.errors import DrgenError
from drgen.findings import FileError
from drgen.lint.frontends.parsing import PARSERS, ParserName
from drgen.lint.model.roots import Expression, Root
from drgen.lint.topology.project import build_project
from tests.lint_model.support import build, resource_at


@pytest.fixture(scope="module", params=PARSERS)
def syntax_root(request: pytest.FixtureRequest) -> Root:
    project, errors = build("syntax", request.param)
    assert errors == []
    (root,) = project.roots
    return root


def test_utf8_bom_file_parses(syntax_root: Root) -> None:
    bucket = resource_at(syntax_root, "aws_s3_bucket.bom")
    assert (bucket.line, bucket.body.get("bucket")) == (1, "bom-bucket")


def test_crlf_file_parses_with_nested_map(syntax_root: Root) -> None:
    queue = resource_at(syntax_root, "aws_sqs_queue.crlf")
    assert queue.body.get("name") == "crlf-queue"
    assert queue.tags == {"Env": "prod"}


def test_heredocs_become_strings(syntax_root: Root) -> None:
    plain = resource_at(syntax_root, "aws_iam_policy.plain")
    assert plain.body.get("policy") == '{"Version": "2012-10-17", "Path": "C:\\temp"}\n'
    indented = resource_at(syntax_root, "aws_iam_policy.indented")
    assert indented.body.get("policy") == "line one\n  line two\n"


def test_heredoc_with_interpolation_is_an_expression_with_its_references(
    syntax_root: Root,
) -> None:
    policy = resource_at(syntax_root, "aws_iam_policy.templated").body.get("policy")
    assert isinstance(policy, Expression)
    assert policy.references == ("aws_s3_bucket.bom.arn",)
    assert policy.source.startswith("<<EOT\n") and policy.source.endswith("\nEOT")


def test_quoted_string_escapes(syntax_root: Root) -> None:
    description = resource_at(syntax_root, "aws_iam_policy.escaped").body.get("description")
    assert description == 'tab\there "quoted" ${not.interpolated} \u00e9'


def test_literals_become_python_values(syntax_root: Root) -> None:
    tags = resource_at(syntax_root, "aws_iam_policy.numbers").body.get("tags")
    assert tags == {
        "int": 3,
        "negative": -2,
        "float": 1.5,
        "enabled": True,
        "nothing": None,
        "list": ["a", 1, False],
    }


def test_attribute_lines(syntax_root: Root) -> None:
    numbers = resource_at(syntax_root, "aws_iam_policy.numbers").body
    assert (numbers.line, numbers.line_of("tags"), numbers.end_line) == (29, 33, 41)


@pytest.mark.parametrize("parser", PARSERS)
def test_parse_error_is_located_and_other_files_still_analysed(parser: ParserName) -> None:
    project, errors = build("broken", parser)
    assert [(e.file, e.line, e.column) for e in errors] == [("broken.tf", 5, 12)]
    assert errors[0].message.startswith("syntax error")
    (root,) = project.roots
    assert [r.address for r in root.resources] == ["aws_s3_bucket.fine"]
    assert project.files_scanned == 2


@pytest.mark.parametrize("parser", PARSERS)
def test_tf_json_resources_providers_and_references(parser: ParserName) -> None:
    project, errors = build("json", parser)
    assert errors == []
    (root,) = project.roots
    primary = resource_at(root, "aws_s3_bucket.primary")
    replica = resource_at(root, "aws_s3_bucket.replica")
    assert (primary.region, primary.tags, primary.line) == ("us-east-1", {"Name": "primary"}, 10)
    assert (replica.region, replica.provider) == ("us-west-2", "aws.west")
    versioning = resource_at(root, "aws_s3_bucket_versioning.primary")
    assert versioning.body.first("versioning_configuration") is not None
    assert root.references[versioning.address] == {"aws_s3_bucket.primary"}


def test_invalid_json_and_invalid_utf8_are_file_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.tf.json").write_text('{"resource": {\n  "x": [}\n', encoding="utf-8")
    (tmp_path / "latin1.tf").write_bytes(b'# caf\xe9\nresource "aws_sqs_queue" "q" {}\n')
    _, errors = build_project([tmp_path], use_cache=False)
    assert errors == [
        FileError("bad.tf.json", 2, 9, "invalid JSON: Expecting value"),
        FileError("latin1.tf", 1, 6, "file is not valid UTF-8"),
    ]


def test_missing_path_is_a_located_usage_error(tmp_path: Path) -> None:
    with pytest.raises(DrgenError) as raised:
        build_project([tmp_path / "nope"], use_cache=False)
    assert "no such file or directory" in raised.value.format()


def test_hidden_and_terraform_folders_are_skipped(tmp_path: Path) -> None:
    for folder in (".git", ".terraform/providers", "live"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    project, _ = build_project([tmp_path], use_cache=False)
    assert [r.directory for r in project.roots] == ["live"]
    assert project.files_scanned == 1


def test_several_paths_are_named_relative_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    monkeypatch.chdir(tmp_path)
    project, _ = build_project([Path("one"), Path("two")], use_cache=False)
    assert [(r.directory, r.resources[0].file) for r in project.roots] == [
        ("one", "one/main.tf"),
        ("two", "two/main.tf"),
    ]
