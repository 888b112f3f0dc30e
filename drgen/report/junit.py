"""JUnit XML: a test suite per policy, a test case per (policy, resource) pair.

A finding is a failure (a suppressed one is skipped, with its reason); a policy with no
finding gets one passing test case so CI dashboards show it ran. File errors form the
``drgen.parse`` suite as errors.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from drgen.findings import Finding
from drgen.report.model import ReportInput

# Characters XML 1.0 cannot carry even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def render(report: ReportInput) -> str:
    result = report.result.sorted()
    suites = ET.Element("testsuites", name="drgen")
    for rule_id in report.rule_ids():
        rule = report.rule(rule_id)
        title = f"{rule_id} {rule.title}" if rule else rule_id
        findings = [f for f in result.findings if f.rule_id == rule_id]
        suite = ET.SubElement(suites, "testsuite", name=_clean(title))
        for finding in findings:
            _add_finding(suite, finding)
        if not findings:
            ET.SubElement(suite, "testcase", classname=f"drgen.{rule_id}", name="no findings")
    if result.errors:
        suite = ET.SubElement(suites, "testsuite", name="drgen.parse")
        for error in result.errors:
            case = ET.SubElement(
                suite, "testcase", classname="drgen.parse", name=_clean(error.file)
            )
            case.set("file", _clean(error.file))
            case.set("line", str(error.line))
            failure = ET.SubElement(case, "error", message=_clean(error.message), type="parse")
            failure.text = _clean(f"{error.file}:{error.line}:{error.column}: {error.message}")
    _count(suites, suites.iter("testsuite"))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _add_finding(suite: ET.Element, finding: Finding) -> None:
    subject = finding.resource or finding.file
    name = subject if finding.root == "." else f"{finding.root}: {subject}"
    case = ET.SubElement(suite, "testcase", classname=f"drgen.{finding.rule_id}")
    case.set("name", _clean(name))
    case.set("file", _clean(finding.file))
    case.set("line", str(finding.line))
    if finding.suppressed:
        by = f" (exemption {finding.exempted_by})" if finding.exempted_by else ""
        message = f"suppressed: {finding.suppression_reason}{by}"
        ET.SubElement(case, "skipped", message=_clean(message))
        return
    failure = ET.SubElement(
        case, "failure", message=_clean(finding.message), type=finding.severity.value
    )
    failure.text = _clean(f"{finding.file}:{finding.line}: {finding.message}")


def _count(root: ET.Element, suites: Iterable[ET.Element]) -> None:
    """Fill the tests/failures/errors/skipped counters on every suite and on the root."""
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
