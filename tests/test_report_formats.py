"""Every report format on the same fixture: golden files plus format-specific checks."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from drgen.report import FORMATS, file_name, renderer
from drgen.report.github import escape_data, escape_property
from tests.fixtures.report.result import report_input
from tests.golden import GOLDEN_ROOT, assert_golden_text

SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0.json"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_format_matches_golden(fmt: str, update_goldens: bool) -> None:
    text = renderer(fmt)(report_input())
    assert_golden_text(text, GOLDEN_ROOT / "report" / file_name(fmt), update_goldens)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_format_is_deterministic_whatever_the_input_order(fmt: str) -> None:
    shuffled = report_input()
    shuffled.result.findings.reverse()
    assert renderer(fmt)(shuffled) == renderer(fmt)(report_input())


def test_sarif_validates_against_the_official_schema() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(renderer("sarif")(report_input()))
    errors = sorted(Draft7Validator(schema).iter_errors(document), key=str)
    assert not errors, [e.message for e in errors]


def test_sarif_content() -> None:
    run = json.loads(renderer("sarif")(report_input()))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["DR001", "DR008", "DR010", "DR011"]
    dr010 = rules[2]
    assert dr010["properties"]["security-severity"] == "9.5"
    assert dr010["helpUri"] == (
        "https://github.com/drgen-dev/drgen/blob/main/docs/policies/DR010.md"
    )
    assert dr010["help"]["markdown"].startswith("**DR010: Unguarded multi-region writes**")
    by_rule = {r["ruleId"]: r for r in reversed(run["results"])}  # first result per rule
    assert by_rule["DR008"]["ruleIndex"] == 1
    location = by_rule["DR008"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "infra/modules/data/main.tf",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 1}
    assert by_rule["DR010"]["suppressions"] == [
        {"kind": "inSource", "justification": "sessions are sharded by user home region"}
    ]
    assert "suppressions" not in by_rule["DR001"]
    fingerprints = {r["partialFingerprints"]["drgenFingerprint/v2"] for r in run["results"]}
    assert len(fingerprints) == 4  # the same address in two roots stays two alerts
    notification = run["invocations"][0]["toolExecutionNotifications"][0]
    assert notification["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2,
        "startColumn": 12,
    }
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_fingerprint_ignores_the_line() -> None:
    moved = report_input()
    moved.result.findings[0] = moved.result.findings[0].__class__(
        **{**moved.result.findings[0].__dict__, "line": 99}
    )

    def fingerprints(text: str) -> list[str]:
        results = json.loads(text)["runs"][0]["results"]
        return sorted(r["partialFingerprints"]["drgenFingerprint/v2"] for r in results)

    sarif = renderer("sarif")
    assert fingerprints(sarif(moved)) == fingerprints(sarif(report_input()))


def test_json_is_the_version_1_contract() -> None:
    document = json.loads(renderer("json")(report_input()))
    assert list(document) == ["version", "findings", "errors", "summary"]
    assert document["version"] == 1
    assert [(f["file"], f["line"], f["rule_id"]) for f in document["findings"]] == [
        ("main.tf", 10, "DR001"),
        ("main.tf", 15, "DR010"),
        ("modules/data/main.tf", 1, "DR008"),
        ("modules/data/main.tf", 6, "DR008"),
    ]
    assert set(document["findings"][0]) == {
        "rule_id", "severity", "resource", "file", "line", "message", "suppressed",
        "root", "repo_file", "column", "kind", "fingerprint", "help_uri", "call_site",
        "suppression_reason", "exempted_by",
    }  # fmt: skip
    first = document["findings"][0]
    assert first["repo_file"] == "infra/main.tf"
    assert first["help_uri"].endswith("/docs/policies/DR001.md")
    assert (first["root"], first["column"], first["call_site"]) == (".", None, None)
    assert document["errors"] == [
        {
            "file": "broken.tf",
            "line": 2,
            "column": 12,
            "message": "unexpected end of input, expected an expression",
        }
    ]
    assert document["summary"]["findings"] == 3
    assert document["summary"]["suppressed"] == 1


def test_junit_parses_and_counts() -> None:
    root = ET.fromstring(renderer("junit")(report_input()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "3", "1")
    assert root.get("skipped") == "1"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    passing = suites["DR011 Route 53 failover without health"].findall("testcase")
    assert [(c.get("name"), list(c)) for c in passing] == [("no findings", [])]
    dr008 = suites["DR008 Recovery points that cannot serve"].findall("testcase")
    assert [c.get("name") for c in dr008] == [
        "module.data.aws_db_instance.orders",
        "modules/data: aws_db_instance.orders",
    ]
    failure = dr008[0].find("failure")
    assert failure is not None
    assert "<days> & keep" in (failure.get("message") or "")


def test_junit_survives_control_characters() -> None:
    report = report_input()
    first = report.result.findings[0]
    report.result.findings[0] = first.__class__(**{**first.__dict__, "message": "bell\x07 ok"})
    ET.fromstring(renderer("junit")(report))


def test_github_annotations() -> None:
    lines = renderer("github")(report_input()).splitlines()
    assert lines[0] == (
        "::error file=infra/broken.tf,line=2,col=12,title=drgen parse error::"
        "unexpected end of input, expected an expression"
    )
    assert lines[1].startswith("::error file=infra/main.tf,line=10,title=DR001::aws_s3_bucket")
    assert lines[2].startswith("::warning file=infra/modules/data/main.tf,line=1,title=DR008::")
    assert "100%25 of writes" in lines[2] and "lost,%0Aset" in lines[2]
    assert len(lines) == 4  # the suppressed DR010 is not annotated


def _unescape(text: str) -> str:
    for encoded, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(encoded, raw)
    return text


@given(st.text())
def test_github_property_escaping_round_trips(value: str) -> None:
    escaped = escape_property(value)
    assert not set(escaped) & {"\r", "\n", ":", ","}
    assert _unescape(escaped) == value


@given(st.text())
def test_github_message_escaping_round_trips(value: str) -> None:
    escaped = escape_data(value)
    assert "\n" not in escaped and "\r" not in escaped
    assert _unescape(escaped) == value


def test_text_shows_source_lines_and_no_colour_off_a_tty() -> None:
    text = renderer("text")(report_input())
    assert '| resource "aws_s3_bucket" "assets" {' in text
    assert "\x1b[" not in text
    coloured = renderer("text")(report_input(color=True))
    assert "\x1b[31m" in coloured
    assert "(backup_retention_period = 0). [root modules/data]" in text


GITLAB_SCHEMA = Path(__file__).parent / "schemas" / "gitlab-code-quality.schema.json"


def test_gitlab_matches_the_documented_fields() -> None:
    schema = json.loads(GITLAB_SCHEMA.read_text(encoding="utf-8"))
    issues = json.loads(renderer("gitlab")(report_input()))
    errors = sorted(Draft7Validator(schema).iter_errors(issues), key=str)
    assert not errors, [e.message for e in errors]
    assert [i["check_name"] for i in issues] == ["DR001", "DR008", "DR008", "drgen-parse-error"]
    assert issues[0]["location"] == {"path": "infra/main.tf", "lines": {"begin": 10}}
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab keeps one per print


def test_fingerprints_stay_unique_when_two_findings_share_a_key() -> None:
    twin = report_input()
    first = twin.result.findings[0]
    twin.result.findings.append(replace(first, message="the same problem again", line=30))
    run = json.loads(renderer("sarif")(twin))["runs"][0]
    prints = [r["partialFingerprints"]["drgenFingerprint/v2"] for r in run["results"]]
    assert len(set(prints)) == len(prints)
    issues = json.loads(renderer("gitlab")(twin))
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_markdown_escapes_what_the_terraform_says() -> None:
    hostile = report_input()
    first = hostile.result.findings[0]
    hostile.result.findings[0] = replace(
        first, message="<img src=x onerror=alert(1)> **bold** [x](http://e) @team #1 `c` | t"
    )
    text = renderer("markdown")(hostile)
    for raw in ("<img", "**bold", "@team", "[x]"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), text), raw
    assert r"\<img src=x onerror=alert(1)\> \*\*bold\*\* \[x\](http://e) \@team \#1" in text


@given(st.text(max_size=80))
def test_markdown_escape_renders_as_the_literal_text(text: str) -> None:
    from markdown_it import MarkdownIt

    from drgen.report.markdown import escape

    tokens = MarkdownIt("commonmark").parseInline(escape(text))
    children = tokens[0].children or [] if tokens else []
    assert all(t.type in ("text", "softbreak") for t in children), [t.type for t in children]
    rendered = "".join(t.content for t in children)
    assert rendered == " ".join(re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", text).split())
