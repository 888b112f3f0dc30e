"""Hostile or unlucky input files: each case crashed (exit 3), hung or was silently misread
before (issue 10). Every one must be a located message and exit 2."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from drgen.bounded_read import UnreadableFile, read_regular
from drgen.errors import DrgenError
from drgen.spec.schema import drspec_schema
from drgen.yamldoc.reader import MAX_NODES, DocumentKind, load_located_yaml
from tests.fixtures.specs.support import edited, sample_text
from tests.robustness_support import run_drgen

KIND = DocumentKind(noun="spec", described="a DR spec")


def yaml_problem(text: str) -> str:
    with pytest.raises(DrgenError) as caught:
        load_located_yaml("f.yaml", text, KIND)
    (problem,) = caught.value.problems
    assert problem.line is not None and problem.column is not None
    return problem.format()


def merge_bomb(levels: int = 9, width: int = 9) -> str:
    """Empty mappings merged ``width`` times per level: width**levels merges, no values."""
    lines = ["a0: &a0 {}"]
    for level in range(1, levels):
        merged = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} {{<<: [{merged}]}}")
    return "\n".join(lines) + "\n"


def test_merge_key_bomb_counts_toward_the_node_budget() -> None:
    bomb = merge_bomb()
    assert len(bomb.encode()) < 759  # the bomb was 759 bytes
    assert f"past {MAX_NODES} values" in yaml_problem(bomb)


def test_a_few_merges_are_still_fine() -> None:
    value, _ = load_located_yaml("f.yaml", "base: &b {x: 1}\nuse: {<<: *b, y: 2}\n", KIND)
    assert value == {"base": {"x": 1}, "use": {"x": 1, "y": 2}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("when: 2020-02-30\n", "1:7: '2020-02-30' cannot be read as a date"),
        ("n: !!int abc\n", "1:4: 'abc' cannot be read as an integer"),
        ("n: " + "9" * 5000 + "\n", "1:4: '99999"),
        ("a: b\x00c\n", "1:5: character U+0000 is not allowed"),
        ("a: 'b\x7f'\n", "1:6: character U+007F is not allowed"),
        ("a: b\n" + "c: d\x9e\n", "2:5: character U+009E is not allowed"),
        ("a: '" + "x" * 9000 + "\x01'\n", "1:9005: character U+0001"),  # past PyYAML's first chunk
        ('a: "\\ud83d\\ude00"\n', "1:4: contains the UTF-16 surrogate U+D83D"),
        ('"\\udc00": 1\n', "1:1: contains the UTF-16 surrogate U+DC00"),
        ("port: 1:20\n", "1:7: YAML 1.1 reads '1:20' as the number 80"),
        ("port: 017\n", "1:7: YAML 1.1 reads '017' as the number 15"),
        ("port: 0x50\n", "1:7: YAML 1.1 reads '0x50' as the number 80"),
        ("size: 1_000\n", "1:7: YAML 1.1 reads '1_000' as the number 1000"),
        ("ratio: 1:20.5\n", "1:8: YAML 1.1 reads '1:20.5' as the number 80.5"),
    ],
)
def test_values_pyyaml_cannot_build_are_located_problems(text: str, expected: str) -> None:
    assert f"f.yaml:{expected}" in yaml_problem(text)


@pytest.mark.parametrize("text", ["port: 80\n", "port: -1\n", "port: '1:20'\n", "r: 0.5\n"])
def test_plain_numbers_and_quoted_text_are_read_as_written(text: str) -> None:
    load_located_yaml("f.yaml", text, KIND)


def test_a_json_style_surrogate_escape_fails_validate_instead_of_crashing_render(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(edited(sample_text(), "team: storefront", 'team: "\\ud83d\\ude00"'))
    for command in (["validate", str(spec)], ["render", str(spec), "-o", str(tmp_path / "o")]):
        run = run_drgen(capsys, *command)
        assert run.code == 2, run.err
        assert "spec.yaml:19:9: contains the UTF-16 surrogate U+D83D" in run.err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("rpo: 15m", "rpo: 99999999999999999999d", "$.objectives.rpo"),
        ("rpo: 15m", "rpo: 36501d", "$.objectives.rpo"),
        ("rto: 1h", "rto: 9" + "9" * 5000 + "s", "$.objectives.rto"),
    ],
)
def test_durations_beyond_what_aws_counts_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, where: str
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(edited(sample_text(), old, new))
    run = run_drgen(capsys, "validate", str(spec))
    assert run.code == 2
    assert "is longer than 36500d (100 years)" in run.err and f"(at {where})" in run.err


def test_the_longest_duration_aws_counts_is_accepted(tmp_path: Path) -> None:
    from drgen.domain import parse_duration

    assert parse_duration("36500d") == 36500 * 86400
    with pytest.raises(ValueError, match="longer than"):
        parse_duration("52560001m")


def test_acknowledgement_pattern_is_anchored_and_counts_six_words() -> None:
    pattern = drspec_schema()["properties"]["dual_master_acknowledgement"]["pattern"]
    assert pattern.startswith("^")  # unanchored, re.search is quadratic (100 KB > 60 s)
    assert re.search(pattern, "  one two three four five six")
    assert not re.search(pattern, "one two three four five")
    assert not re.search(pattern, "x" * 100_000)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_read_regular_refuses_what_is_not_a_regular_file(tmp_path: Path, fifo: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    for path, reason in [
        (fifo, "a named pipe"),
        (Path("/dev/zero"), "a device"),
        (tmp_path, "a folder"),
        (big, "larger than 100 bytes"),
    ]:
        with pytest.raises(UnreadableFile, match=reason):
            read_regular(path, 100)
    link = tmp_path / "link"
    link.symlink_to(big)
    assert read_regular(link, 200) == b"x" * 101
    with pytest.raises(UnreadableFile, match="symbolic link"):
        read_regular(link, 200, follow_links=False)


@pytest.mark.parametrize("target", ["/dev/zero", "pipe", "."])
def test_validate_refuses_devices_pipes_and_folders(
    tmp_path: Path, fifo: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    path = target if target.startswith("/") else str(tmp_path / target)
    run = run_drgen(capsys, "validate", path)
    assert run.code == 2
    assert re.search(r"cannot read the spec: it is (a device|a named pipe|a folder)", run.err)


def lint_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("spec: /dev/zero\n", "cannot read the spec: it is a device"),
        ("spec: pipe\n", "cannot read the spec: it is a named pipe"),
        ("baseline: /dev/zero\n", "cannot read baseline: it is a device"),
        ("baseline: pipe\n", "cannot read baseline: it is a named pipe"),
    ],
)
def test_config_naming_a_device_or_pipe_is_a_usage_error(
    tmp_path: Path,
    fifo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config: str,
    expected: str,
) -> None:
    lint_repo(tmp_path, monkeypatch)
    (tmp_path / ".drgen.yaml").write_text(config)
    run = run_drgen(capsys, "lint", "-q", ".")
    assert run.code == 2 and expected in run.err


def test_deeply_nested_baseline_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_repo(tmp_path, monkeypatch)
    (tmp_path / "b.json").write_text("[" * 100_000 + "]" * 100_000)
    run = run_drgen(capsys, "lint", "-q", "--baseline", "b.json", ".")
    assert run.code == 2 and "baseline is nested 100000 levels deep" in run.err


@pytest.mark.parametrize("manifest", ["[" * 100_000, "pipe", "/dev/zero"])
def test_modules_json_that_is_deep_a_pipe_or_a_device_leaves_the_module_unanalysed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    manifest: str,
) -> None:
    lint_repo(tmp_path, monkeypatch)
    (tmp_path / "main.tf").write_text(
        'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
    )
    modules = tmp_path / ".terraform" / "modules"
    modules.mkdir(parents=True)
    if manifest == "pipe":
        os.mkfifo(modules / "modules.json")
    elif manifest.startswith("/"):
        (modules / "modules.json").symlink_to(manifest)
    else:
        (modules / "modules.json").write_text(manifest)
    run = run_drgen(capsys, "lint", "-q", "-f", "json", ".")
    assert run.code == 0, run.err
    assert json.loads(run.out)["summary"]["not_analysed"] == [
        ".:module.vpc (terraform-aws-modules/vpc/aws)"
    ]


def test_a_terraform_file_that_is_a_pipe_is_a_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_repo(tmp_path, monkeypatch)
    os.mkfifo(tmp_path / "stuck.tf")
    run = run_drgen(capsys, "lint", "-q", ".")
    assert run.code == 2
    assert "stuck.tf:1:1: cannot read file: it is not a regular file" in run.out


def test_report_quotes_a_one_line_json_file_cut_to_a_readable_width(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_repo(tmp_path, monkeypatch)
    (tmp_path / "main.tf").unlink()
    buckets = {f"b{i}": {"bucket": f"bucket-{i}-{'x' * 40}"} for i in range(800)}
    document = json.dumps({"resource": {"aws_s3_bucket": buckets}})
    assert len(document) > 52_000 and "\n" not in document
    (tmp_path / "main.tf.json").write_text(document)
    run = run_drgen(capsys, "lint", "-q", ".")
    assert run.code == 1
    assert max(len(line) for line in run.out.splitlines()) < 400
    assert len(run.out) < 800 * 1000  # was 800 findings x 52 KB


def test_quoted_lines_show_control_characters_instead_of_sending_them() -> None:
    from drgen.report.text import QUOTE_WIDTH, quoted_source

    assert quoted_source('  name = "\x1b[2J\x9b"  ') == 'name = "\\x1b[2J\\x9b"'
    assert len(quoted_source("x" * 10_000)) == QUOTE_WIDTH


def test_a_looping_symlink_is_an_error_for_that_path_not_a_skipped_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_repo(tmp_path, monkeypatch)
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "data" {}\n')
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")  # a loop not named like Terraform: ignored
    (tmp_path / "loop.tf").symlink_to("loop.tf")
    run = run_drgen(capsys, "lint", "-q", "-f", "json", ".")
    assert run.code == 2
    report = json.loads(run.out)
    assert [f["resource"] for f in report["findings"]] == ["aws_s3_bucket.data"]
    assert [(e["file"], e["message"]) for e in report["errors"]] == [
        ("loop.tf", "a symbolic link that loops; fix or remove the link")
    ]


def test_symlinks_leaving_the_repository_are_not_followed_nor_quoted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "home" / ".git-credentials"
    secret.parent.mkdir()
    secret.write_text("https://me:ghp_TOKEN123@github.com\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    lint_repo(repo, monkeypatch)
    (repo / ".git" / "config").write_text("[http]\n  extraheader = AUTHORIZATION: basic T0K3N\n")
    (repo / "leak.tf").symlink_to(secret)
    (repo / "git.tf").symlink_to(repo / ".git" / "config")
    (repo / "shared").mkdir()
    (repo / "shared" / "bucket.tf").write_text('resource "aws_s3_bucket" "shared" {}\n')
    (repo / "linked.tf").symlink_to("shared/bucket.tf")  # inside the repository: followed
    for output_format in ("text", "github", "json", "sarif"):
        run = run_drgen(capsys, "lint", "-q", "-f", output_format, ".")
        assert run.code == 2
        assert "TOKEN123" not in run.out + run.err and "T0K3N" not in run.out + run.err
        assert "aws_s3_bucket.shared" in run.out
    run = run_drgen(capsys, "lint", "-q", "-f", "json", ".")
    assert sorted(e["file"] for e in json.loads(run.out)["errors"]) == ["git.tf", "leak.tf"]


def test_a_var_file_that_is_a_device_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_repo(tmp_path, monkeypatch)
    run = run_drgen(capsys, "lint", "-q", "--var-file", "/dev/zero", ".")
    assert run.code == 2 and "cannot read var file: it is a device" in run.err


def test_the_pre_commit_entry_never_prints_a_bare_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from drgen import precommit

    lint_repo(tmp_path, monkeypatch)
    (tmp_path / "loop").symlink_to("loop")
    assert precommit.main(["lint", "loop/main.tf"]) == 2  # a link loop: located, exit 2
    assert "loop: Too many levels of symbolic links" in capsys.readouterr().err

    def denied(_options: object) -> int:
        raise PermissionError(13, "Permission denied", "secret.tf")

    monkeypatch.setattr("drgen.lint.command.run_lint", denied)
    assert precommit.main(["lint", "main.tf"]) == 2
    assert "secret.tf: cannot use this path: Permission denied" in capsys.readouterr().err

    def bug(_options: object) -> int:
        raise KeyError("oops")

    monkeypatch.setattr("drgen.lint.command.run_lint", bug)
    assert precommit.main(["lint", "main.tf"]) == 3
    assert "hit an internal error; please report it" in capsys.readouterr().err


def test_file_names_that_are_not_utf8_are_reported_not_crashed_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lint_repo(tmp_path, monkeypatch)
    name = os.path.join(os.fsencode(tmp_path), b"bad\xff\n.tf")  # noqa: PTH118  (bytes)
    with open(name, "wb") as stream:  # noqa: PTH123
        stream.write(b'resource "aws_s3_bucket" "b" {}\n')
    for output_format in ("text", "json", "sarif", "github", "junit", "markdown", "gitlab"):
        run = run_drgen(capsys, "lint", "-q", "-f", output_format, ".")
        assert run.code == 1, (output_format, run.err)
        if output_format in ("text", "json"):  # others encode it further (SARIF as a URI)
            assert "bad\\xff\\x0a.tf" in run.out.replace("\\\\", "\\")
