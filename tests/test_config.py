"""Config discovery, validation with located errors, and building the typed Config."""

from __future__ import annotations

from pathlib import Path

import pytest

from drgen.config import Config, find_config, is_excluded, load_config
from drgen.domain import Severity
from drgen.errors import DrgenError
from drgen.spec.model import Objectives

FULL = """\
policies:
  enable: [DR001, DR010]
  skip: [DR014]
  dirs: [team-policies]
severity:
  DR007: low
min_severity: medium
strict: true
objectives: {rpo: 15m, rto: 1h}
exclude: ["examples/**"]
baseline: .drgen-baseline.json
render:
  - spec: dr/app.yaml
    output: infra/dr
"""


def test_full_config_builds(tmp_path: Path) -> None:
    path = tmp_path / ".drgen.yaml"
    path.write_text(FULL, encoding="utf-8")
    config = load_config(path)
    assert config.enable == ("DR001", "DR010")
    assert config.skip == ("DR014",)
    assert config.policies_dirs == (tmp_path / "team-policies",)
    assert config.severity_overrides == {"DR007": Severity.LOW}
    assert config.min_severity is Severity.MEDIUM
    assert config.strict is True
    assert config.objectives == Objectives("15m", "1h")
    assert config.baseline == tmp_path / ".drgen-baseline.json"
    assert config.render[0].spec == tmp_path / "dr" / "app.yaml"
    assert config.render[0].output == tmp_path / "infra" / "dr"
    assert config.root == tmp_path


def test_empty_file_is_the_default(tmp_path: Path) -> None:
    path = tmp_path / ".drgen.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert load_config(path) == Config(source=path)


def test_every_schema_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / ".drgen.yaml"
    path.write_text(
        "policies:\n  skip: [DR014, DR 7]\nseverity:\n  DR007: urgent\nfail_on: high\n",
        encoding="utf-8",
    )
    with pytest.raises(DrgenError) as caught:
        load_config(path)
    problems = {p.json_path: p for p in caught.value.problems}
    assert set(problems) == {"$.fail_on", "$.policies.skip[1]", "$.severity.DR007"}
    assert (problems["$.policies.skip[1]"].line, problems["$.policies.skip[1]"].column) == (2, 17)
    assert problems["$.severity.DR007"].line == 4
    assert problems["$.severity.DR007"].hint == "use one of: low, medium, high, critical"
    assert "fail_on" in problems["$.fail_on"].message
    assert (problems["$.fail_on"].line, problems["$.fail_on"].column) == (5, 1)
    assert "allowed keys here:" in (problems["$.fail_on"].hint or "")
    assert problems["$.policies.skip[1]"].hint == (
        "A policy id such as DR010 or a wildcard such as DR00* (case-insensitive)."
    )
    rendered = caught.value.format()
    assert f"{path}:2:17: " in rendered and "fix: " in rendered


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / ".drgen.yaml"
    path.write_text("policies:\n  skip: [DR014\n", encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path) and problem.line is not None
    assert "malformed YAML" in problem.message
    assert problem.hint is not None and "close the [ ... ] list" in problem.hint


def test_pyproject_tool_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "x"\n\n[tool.drgen]\nmin_severity = "high"\n'
        'severity = { DR007 = "low" }\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.min_severity is Severity.HIGH
    assert config.severity_overrides == {"DR007": Severity.LOW}


def test_pyproject_errors_point_at_the_table(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.drgen]\nstrict = "yes"\n', encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.json_path) == (4, "$.strict")


def test_find_config_walks_up_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".drgen.yaml").write_text("strict: true\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    module = repo / "infra" / "app"
    module.mkdir(parents=True)
    assert find_config(module) is None  # stops at the repository root
    (repo / "pyproject.toml").write_text("[tool.drgen]\nstrict = true\n", encoding="utf-8")
    assert find_config(module) == (repo / "pyproject.toml").resolve()
    (repo / ".drgen.yaml").write_text("strict: false\n", encoding="utf-8")
    assert find_config(module / "main.tf") == (repo / ".drgen.yaml").resolve()


def test_pyproject_without_tool_table_is_ignored(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) is None


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        ("examples/a/main.tf", True),
        ("infra/examples/main.tf", False),
        ("infra/main.tf", False),
        ("infra/generated.tf", True),
    ],
)
def test_exclude_globs(path: str, excluded: bool) -> None:
    assert is_excluded(path, ("examples", "infra/gen*.tf")) is excluded


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / ".drgen.yaml"
    path.write_text("strict: true\nstrict: false\n", encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.message == "duplicate key 'strict' (first written at line 1)"
    assert (problem.line, problem.column, problem.json_path) == (2, 1, "$.strict")


def test_pyproject_unknown_key_gets_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.drgen]\nstrcit = true\n", encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.json_path) == (1, "$.strcit")
    assert problem.hint is not None and problem.hint.startswith("did you mean 'strict'?")


def test_both_files_in_one_folder_warn_and_the_yaml_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".drgen.yaml").write_text("min_severity: high\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.drgen]\nmin_severity = "low"\n', "utf-8")
    assert find_config(tmp_path) == tmp_path / ".drgen.yaml"
    warning = capsys.readouterr().err
    assert "both .drgen.yaml and [tool.drgen]" in warning and "ignoring [tool.drgen]" in warning


@pytest.mark.parametrize(
    "header",
    ["[tool.drgen]  # lint settings", "[ tool.drgen ]", '[tool."drgen"]', "[tool . 'drgen']"],
)
def test_pyproject_table_headers_toml_allows_are_found(tmp_path: Path, header: str) -> None:
    (tmp_path / ".git").mkdir()
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[project]\nname = "x"\n\n{header}\nmin_severity = "loud"\n')
    assert find_config(tmp_path) == path
    with pytest.raises(DrgenError) as caught:
        load_config(path)
    assert caught.value.problems[0].line == 4  # located at the header, however it is spelled


def test_dotted_keys_configure_drgen_too(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool]\ndrgen.strict = true\n")
    assert find_config(tmp_path) == path
    assert load_config(path).strict is True


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[tool.black]\nline-length = 100 \xff\n", "not UTF-8 text (byte 0xff)"),
        (b"[tool.drgen\n", "not valid TOML, so drgen cannot tell whether it holds [tool.drgen]"),
    ],
)
def test_a_broken_pyproject_up_to_the_repository_root_is_a_located_error(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_bytes(content)
    infra = tmp_path / "infra"
    infra.mkdir()
    with pytest.raises(DrgenError) as caught:
        find_config(infra)
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path / "pyproject.toml") and expected in problem.message
    (infra / ".drgen.yaml").write_text("strict: true\n")  # a nearer config is read first
    assert find_config(infra) == infra / ".drgen.yaml"
