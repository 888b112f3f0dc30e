"""Broken Terraform never crashes lint: mutated fixture files give FileErrors or findings only.

Each example copies one fixture folder, damages one of its .tf/.tf.json files the way an
editor or a bad merge would (a deleted character, a duplicated line, a stray brace, quote
or ``${``) and runs the whole pipeline, strict, with both parsers.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.frontends.parsing import PARSERS, ParserName
from drgen.lint.topology.project import build_project

FIXTURES = Path(__file__).parent / "fixtures"
POLICIES = load_policies()
FOLDERS = sorted(
    {p.parent for p in FIXTURES.glob("policies/*/*/*.tf")}
    | {p.parent for p in FIXTURES.glob("model/*/*.tf")}
    | {p.parent for p in FIXTURES.glob("model/*/*.tf.json")}
)
INSERTS = ["{", "}", '"', "${", "%{", "[", "]", "(", "=", "\n", "<<EOT\n", "#", "/*", "\\", ","]


def _terraform_files(folder: Path) -> list[Path]:
    found = [*folder.rglob("*.tf"), *folder.rglob("*.tf.json")]
    return sorted(p for p in found if ".terraform" not in p.parts)


def _mutate(text: str, kind: str, where: float, insert: str) -> str:
    lines = text.splitlines(keepends=True)
    if kind == "delete-char" and text:
        at = int(where * (len(text) - 1))
        return text[:at] + text[at + 1 :]
    if kind == "duplicate-line" and lines:
        at = int(where * (len(lines) - 1))
        return "".join(lines[: at + 1] + lines[at:])
    if kind == "delete-line" and lines:
        at = int(where * (len(lines) - 1))
        return "".join(lines[:at] + lines[at + 1 :])
    at = int(where * len(text))
    return text[:at] + insert + text[at:]


mutations = st.lists(
    st.tuples(
        st.sampled_from(["delete-char", "duplicate-line", "delete-line", "insert"]),
        st.floats(0, 1),
        st.sampled_from(INSERTS),
    ),
    min_size=1,
    max_size=4,
)


def test_the_property_sees_model_and_policy_fixtures() -> None:
    assert len(FOLDERS) >= 40
    assert any(f.parent.name == "model" for f in FOLDERS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    folder=st.sampled_from(FOLDERS),
    pick=st.floats(0, 1),
    changes=mutations,
    parser=st.sampled_from(PARSERS),
)
def test_mutated_terraform_gives_file_errors_or_findings_never_an_exception(
    folder: Path, pick: float, changes: list[tuple[str, float, str]], parser: ParserName
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "case"
        shutil.copytree(folder, copy)
        files = _terraform_files(copy)
        target = files[int(pick * (len(files) - 1))]
        text = target.read_text(encoding="utf-8")
        for kind, where, insert in changes:
            text = _mutate(text, kind, where, insert)
        target.write_text(text, encoding="utf-8")

        project, errors = build_project([copy], use_cache=False, parser=parser)
        findings = lint_project(project, POLICIES, strict=True, today=date(2026, 6, 1))

    scanned = {p.relative_to(copy).as_posix() for p in files}
    for error in errors:
        assert error.file in scanned
        assert error.line >= 1 and error.column >= 1 and error.message
    for finding in findings:
        assert finding.rule_id.startswith("DR") and finding.message
        assert finding.line >= 1
