"""Score ``drgen lint`` and checkov against the expert expectations of the accuracy corpus.

Usage:
    python benchmarks/accuracy.py [--corpus-dir DIR] [--checkov PATH | --no-checkov]
                                  [--set dev|held-out] [--only NAME ...] [--details]
                                  [--format text|json]

The corpus (benchmarks/corpus/corpus.yaml) pins public repositories; their code is not
committed: fetch each one at its commit into ``--corpus-dir`` (default /work/corpus, see
benchmarks/README.md). For every entry this runs this checkout's drgen once per listed path
(``python -m drgen lint PATH -f json -f sarif``, a fresh process and an empty cache) and,
unless ``--no-checkov``, checkov once per root that has expectations (checkov names module
resources by address but not by root, so the root has to be the scanned folder).

Scoring, per expectation (root, address):
- a ``flag`` is recalled when the tool reports a counting finding on it;
- a ``pass`` is a false positive when the tool reports a counting finding on it.
drgen's counting findings: every unsuppressed finding of any severity (low included), except
DR000 (about a suppression comment, not the resource) and DR009 (an undecided fact is neither
a detection nor a claim; it is only emitted under --strict, which is not used here). checkov's
counting findings: failed checks from DR_CHECKS below; skipped checks do not count.
Addresses match with instance keys stripped unless both sides carry a key for the same
segment (``this["blue"]`` vs ``this["green"]`` differ; ``this`` matches every instance).
Findings that land on no expectation are counted as "unjudged" (reported, never scored).
Output is deterministic: sorted, and no timings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

REPOSITORY = Path(__file__).resolve().parent.parent
CORPUS = REPOSITORY / "benchmarks" / "corpus"
DEFAULT_CORPUS_DIR = Path("/work/corpus")
DEFAULT_CHECKOV = REPOSITORY / ".venv-checkov" / "bin" / "checkov"

NOT_EVIDENCE = frozenset({"DR000", "DR009"})
# checkov checks that are about recovery (replication, backups, PITR, zone redundancy,
# failover); everything else checkov reports (encryption, logging, ...) is not a DR finding.
DR_CHECKS = (
    "CKV_AWS_28",  # DynamoDB point-in-time recovery
    "CKV_AWS_133",  # RDS instance / cluster backup retention
    "CKV_AWS_134",  # ElastiCache automatic backup
    "CKV_AWS_144",  # S3 cross-region replication
    "CKV_AWS_157",  # RDS instance Multi-AZ
    "CKV_AWS_165",  # DynamoDB global table point-in-time recovery
    "CKV_AWS_310",  # CloudFront origin failover
    "CKV_AWS_343",  # Redshift automatic snapshots
    "CKV_AWS_360",  # DocumentDB backup retention
    "CKV_AWS_361",  # Neptune backup retention
    "CKV2_AWS_8",  # RDS cluster in an AWS Backup plan
)
# Keep checkov from calling home (same settings as tests/verification/checkov_runner.py).
CHECKOV_OFFLINE_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
    "CHECKOV_SKIP_DOWNLOAD": "TRUE",
}

Segment = tuple[str, str | None]  # (name, instance key or None)


@dataclass(frozen=True)
class Expectation:
    repo: str
    root: str
    address: str
    verdict: str  # "flag" | "pass"
    problem: str
    why: str


@dataclass(frozen=True)
class Finding:
    root: str  # relative to the repository folder
    address: str
    rule: str  # drgen rule id or checkov check id
    severity: str


@dataclass
class ToolRun:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files the tool could not read
    crashes: list[str] = field(default_factory=list)  # the tool itself failed


@dataclass(frozen=True)
class Entry:
    name: str
    repo: str
    commit: str
    set: str
    paths: tuple[str, ...]


@dataclass
class Score:
    flags: int = 0
    recalled: int = 0
    passes: int = 0
    false_positives: int = 0
    unjudged: int = 0

    def add(self, other: Score) -> None:
        self.flags += other.flags
        self.recalled += other.recalled
        self.passes += other.passes
        self.false_positives += other.false_positives
        self.unjudged += other.unjudged


def parse_address(address: str) -> tuple[Segment, ...]:
    """Split ``module.a["k"].aws_x.y[0]`` into (name, key) segments; keys keep their quotes."""
    segments: list[Segment] = []
    name, index = "", 0
    while index < len(address):
        char = address[index]
        if char == "[":
            end = _closing_bracket(address, index)
            segments.append((name, address[index + 1 : end]))
            name, index = "", end + 1
            if index < len(address) and address[index] == ".":
                index += 1
            continue
        if char == ".":
            segments.append((name, None))
            name = ""
        else:
            name += char
        index += 1
    if name:
        segments.append((name, None))
    return tuple(segments)


def _closing_bracket(address: str, start: int) -> int:
    quoted = False
    for index in range(start + 1, len(address)):
        char = address[index]
        if char == '"' and address[index - 1] != "\\":
            quoted = not quoted
        elif char == "]" and not quoted:
            return index
    return len(address)


def addresses_match(expected: str, found: str) -> bool:
    left, right = parse_address(expected), parse_address(found)
    if [name for name, _ in left] != [name for name, _ in right]:
        return False
    return all(a is None or b is None or a == b for (_, a), (_, b) in zip(left, right, strict=True))


def load_corpus(corpus: Path) -> tuple[list[Entry], dict[str, list[Expectation]]]:
    document = yaml.safe_load((corpus / "corpus.yaml").read_text(encoding="utf-8"))
    entries = [
        Entry(
            name=item["name"],
            repo=item["repo"],
            commit=item["commit"],
            set=item["set"],
            paths=tuple(str(p) for p in item["paths"]),
        )
        for item in document["entries"]
    ]
    expectations: dict[str, list[Expectation]] = {}
    for entry in entries:
        path = corpus / "expectations" / f"{entry.name}.yaml"
        items = yaml.safe_load(path.read_text(encoding="utf-8"))["expectations"]
        expectations[entry.name] = [
            Expectation(
                repo=entry.name,
                root=str(item["root"]),
                address=str(item["address"]),
                verdict=str(item["verdict"]),
                problem=str(item["problem"]),
                why=str(item["why"]),
            )
            for item in items
        ]
    return entries, expectations


def relative_root(lint_path: str, root: str) -> str:
    return str(PurePosixPath(lint_path) / root)


def run_drgen(folder: Path, lint_path: str) -> ToolRun:
    """One fresh ``drgen lint`` process over ``folder`` with an empty parse cache."""
    run = ToolRun()
    with tempfile.TemporaryDirectory(prefix="drgen-accuracy-") as scratch:
        out = Path(scratch) / "reports"
        command = [sys.executable, "-m", "drgen", "lint", str(folder), "--quiet"]
        command += ["-f", "json", "-f", "sarif", "--output-dir", str(out)]
        env = {
            **os.environ,
            "PYTHONPATH": str(REPOSITORY),
            "DRGEN_CACHE_DIR": str(Path(scratch) / "cache"),
        }
        completed = subprocess.run(
            command, env=env, capture_output=True, text=True, check=False, timeout=900
        )
        report_json, report_sarif = out / "drgen.json", out / "drgen.sarif"
        if completed.returncode not in (0, 1, 2) or not report_json.is_file():
            run.crashes.append(f"drgen exit {completed.returncode}: {completed.stderr[-800:]}")
            return run
        document = json.loads(report_json.read_text(encoding="utf-8"))
        roots = _sarif_roots(json.loads(report_sarif.read_text(encoding="utf-8")))
    for error in document.get("errors", []):
        run.errors.append(f"{lint_path}/{error['file']}:{error['line']}: {error['message']}")
    for finding in document["findings"]:
        if finding["suppressed"] or finding["rule_id"] in NOT_EVIDENCE:
            continue
        root = finding.get("root")
        if root is None:  # JSON contract version 1 has no root: take it from the SARIF twin
            root = roots[_sarif_key(finding)].pop(0)
        run.findings.append(
            Finding(
                root=relative_root(lint_path, str(root)),
                address=str(finding["resource"]),
                rule=str(finding["rule_id"]),
                severity=str(finding["severity"]),
            )
        )
    return run


def _sarif_key(finding: dict[str, Any]) -> tuple[str, str, int, str]:
    return (finding["rule_id"], finding["resource"], finding["line"], finding["message"])


def _sarif_roots(sarif: dict[str, Any]) -> dict[tuple[str, str, int, str], list[str]]:
    roots: dict[tuple[str, str, int, str], list[str]] = defaultdict(list)
    for result in sarif["runs"][0]["results"]:
        location = result["locations"][0]
        logical = location.get("logicalLocations") or [{"fullyQualifiedName": ""}]
        key = (
            result["ruleId"],
            logical[0]["fullyQualifiedName"],
            location["physicalLocation"]["region"]["startLine"],
            result["message"]["text"],
        )
        roots[key].append(str(result["properties"]["root"]))
    return roots


def _no_network_prefix() -> list[str]:
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], check=False).returncode == 0:
        return [unshare, "-n"]
    return []


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def run_checkov(checkov: Path, repository: Path, root: str) -> ToolRun:
    """checkov over one root folder of ``repository``, DR checks only, offline."""
    run = ToolRun()
    command = [*_no_network_prefix(), str(checkov), "--directory", str(repository / root)]
    command += ["--framework", "terraform", "--skip-download", "--output", "json", "--compact"]
    command += ["--check", ",".join(DR_CHECKS)]
    completed = subprocess.run(
        command,
        env={**os.environ, **CHECKOV_OFFLINE_ENV},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if completed.returncode not in (0, 1) or not completed.stdout.strip():
        run.crashes.append(f"checkov exit {completed.returncode}: {completed.stderr[-800:]}")
        return run
    report: Any = json.loads(completed.stdout)
    if isinstance(report, list):
        (report,) = [r for r in report if r.get("check_type") == "terraform"]
    results = report.get("results", {})
    run.errors.extend(
        f"{_relative(Path(path), repository)}: checkov could not parse it"
        for path in results.get("parsing_errors", [])
    )
    for check in results.get("failed_checks", []):
        run.findings.append(
            Finding(
                root=root,
                address=str(check["resource"]),
                rule=str(check["check_id"]),
                severity=str(check.get("severity") or ""),
            )
        )
    return run


@dataclass(frozen=True)
class Judgement:
    expectation: Expectation
    drgen_rules: tuple[str, ...]
    checkov_rules: tuple[str, ...] | None  # None: checkov not run


def judge(
    expectations: Sequence[Expectation], findings: Iterable[Finding]
) -> tuple[list[tuple[str, ...]], int]:
    """Rules that land on each expectation, and how many findings land on none."""
    hits: list[set[str]] = [set() for _ in expectations]
    unjudged = 0
    for finding in findings:
        landed = False
        for index, expectation in enumerate(expectations):
            if expectation.root == finding.root and addresses_match(
                expectation.address, finding.address
            ):
                hits[index].add(finding.rule)
                landed = True
        unjudged += not landed
    return [tuple(sorted(rules)) for rules in hits], unjudged


def score(judgements: Sequence[tuple[Expectation, tuple[str, ...]]], unjudged: int) -> Score:
    result = Score(unjudged=unjudged)
    for expectation, rules in judgements:
        if expectation.verdict == "flag":
            result.flags += 1
            result.recalled += bool(rules)
        else:
            result.passes += 1
            result.false_positives += bool(rules)
    return result


@dataclass
class EntryResult:
    entry: Entry
    judgements: list[Judgement]
    drgen: Score
    checkov: Score | None
    drgen_run: ToolRun
    checkov_run: ToolRun | None


def evaluate(
    entry: Entry, expectations: list[Expectation], folder: Path, checkov: Path | None
) -> EntryResult:
    drgen_run = ToolRun()
    for lint_path in entry.paths:
        part = run_drgen(folder / lint_path, lint_path)
        drgen_run.findings += part.findings
        drgen_run.errors += part.errors
        drgen_run.crashes += part.crashes
    drgen_hits, drgen_unjudged = judge(expectations, drgen_run.findings)
    checkov_run: ToolRun | None = None
    checkov_hits: list[tuple[str, ...]] | None = None
    checkov_unjudged = 0
    if checkov is not None:
        checkov_run = ToolRun()
        for root in sorted({e.root for e in expectations}):
            part = run_checkov(checkov, folder, root)
            checkov_run.findings += part.findings
            checkov_run.errors += part.errors
            checkov_run.crashes += part.crashes
        checkov_hits, checkov_unjudged = judge(expectations, checkov_run.findings)
    judgements = [
        Judgement(e, drgen_hits[i], None if checkov_hits is None else checkov_hits[i])
        for i, e in enumerate(expectations)
    ]
    return EntryResult(
        entry=entry,
        judgements=judgements,
        drgen=score([(j.expectation, j.drgen_rules) for j in judgements], drgen_unjudged),
        checkov=None
        if checkov_hits is None
        else score([(j.expectation, j.checkov_rules or ()) for j in judgements], checkov_unjudged),
        drgen_run=drgen_run,
        checkov_run=checkov_run,
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _cells(result: Score | None) -> str:
    if result is None:
        return f"{'-':>16} {'-':>15} {'-':>8}"
    recall = f"{result.recalled}/{result.flags} {_percent(result.recalled, result.flags)}"
    wrong = _percent(result.false_positives, result.passes)
    fp = f"{result.false_positives}/{result.passes} {wrong}"
    return f"{recall:>16} {fp:>15} {result.unjudged:>8}"


def set_totals(results: Sequence[EntryResult]) -> dict[str, tuple[Score, Score | None]]:
    """Scores summed per set, then over everything ("all" last)."""
    with_checkov = all(r.checkov is not None for r in results)
    totals: dict[str, tuple[Score, Score | None]] = {}
    for result in results:
        for key in (result.entry.set, "all"):
            drgen_total, checkov_total = totals.setdefault(
                key, (Score(), Score() if with_checkov else None)
            )
            drgen_total.add(result.drgen)
            if checkov_total is not None and result.checkov is not None:
                checkov_total.add(result.checkov)
    return {key: totals[key] for key in sorted(totals, key=lambda k: (k == "all", k))}


def problem_recall(
    results: Sequence[EntryResult],
) -> dict[str, tuple[tuple[int, int], int | None]]:
    """Per flag category: ((drgen recalled, flags), checkov recalled or None)."""
    drgen: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    checkov: dict[str, int] = defaultdict(int)
    ran_checkov = all(r.checkov is not None for r in results)
    for result in results:
        for judgement in result.judgements:
            if judgement.expectation.verdict != "flag":
                continue
            counts = drgen[judgement.expectation.problem]
            counts[0] += bool(judgement.drgen_rules)
            counts[1] += 1
            checkov[judgement.expectation.problem] += bool(judgement.checkov_rules)
    return {
        problem: ((counts[0], counts[1]), checkov[problem] if ran_checkov else None)
        for problem, counts in sorted(drgen.items())
    }


def render_text(results: Sequence[EntryResult], details: bool) -> str:
    lines = [
        "Recall = flags with a finding on them; FP = passes with a finding on them;",
        "unjudged = findings on constructs with no expectation (not scored).",
        "",
        f"{'repository':<62} {'set':<8} "
        f"{'drgen recall':>16} {'drgen FP':>15} {'unjudged':>8}  "
        f"{'checkov recall':>16} {'checkov FP':>15} {'unjudged':>8}",
    ]
    for result in results:
        lines.append(
            f"{result.entry.name:<62} {result.entry.set:<8} "
            f"{_cells(result.drgen)}  {_cells(result.checkov)}"
        )
    totals = set_totals(results)
    lines.append("")
    for key, (drgen_total, checkov_total) in totals.items():
        label = f"TOTAL {key}"
        lines.append(f"{label:<62} {'':<8} {_cells(drgen_total)}  {_cells(checkov_total)}")
    problems = sorted(
        {
            f"{r.entry.name}: {tool} {kind}: {text}"
            for r in results
            for tool, run in (("drgen", r.drgen_run), ("checkov", r.checkov_run))
            if run is not None
            for kind, texts in (("CRASH", run.crashes), ("file error", run.errors))
            for text in texts
        }
    )
    if problems:
        lines += ["", "Tool problems:", *(f"  {p}" for p in problems)]
    if details:
        lines += ["", "Flags by problem (recalled/flags: drgen, checkov):"]
        for problem, (drgen, checkov) in problem_recall(results).items():
            drgen_cell = f"{drgen[0]}/{drgen[1]}"
            checkov_cell = "-" if checkov is None else f"{checkov}/{drgen[1]}"
            lines.append(f"  {problem:<40} {drgen_cell:>7} {checkov_cell:>7}")
        lines += ["", "Per expectation (verdict, outcome, root, address: drgen | checkov):"]
        for result in results:
            lines.append(f"  {result.entry.name}")
            for judgement in result.judgements:
                lines.append("    " + _detail(judgement))
    return "\n".join(lines) + "\n"


def _outcome(verdict: str, rules: tuple[str, ...] | None) -> str:
    if rules is None:
        return "-"
    if verdict == "flag":
        return "hit" if rules else "MISS"
    return "FP" if rules else "ok"


def _detail(judgement: Judgement) -> str:
    e = judgement.expectation
    drgen = ",".join(judgement.drgen_rules) or "-"
    checkov = "-" if judgement.checkov_rules is None else ",".join(judgement.checkov_rules) or "-"
    return (
        f"{e.verdict:<4} drgen={_outcome(e.verdict, judgement.drgen_rules):<4} "
        f"checkov={_outcome(e.verdict, judgement.checkov_rules):<4} "
        f"{e.root}  {e.address}  [{e.problem}]: {drgen} | {checkov}"
    )


def render_json(results: Sequence[EntryResult]) -> str:
    def as_dict(result: Score | None) -> dict[str, int] | None:
        return None if result is None else dict(sorted(vars(result).items()))

    entries = [
        {
            "name": r.entry.name,
            "commit": r.entry.commit,
            "set": r.entry.set,
            "drgen": as_dict(r.drgen),
            "checkov": as_dict(r.checkov),
            "crashes": r.drgen_run.crashes + (r.checkov_run.crashes if r.checkov_run else []),
            "expectations": [
                {
                    "root": j.expectation.root,
                    "address": j.expectation.address,
                    "verdict": j.expectation.verdict,
                    "problem": j.expectation.problem,
                    "drgen": list(j.drgen_rules),
                    "checkov": None if j.checkov_rules is None else list(j.checkov_rules),
                }
                for j in r.judgements
            ],
        }
        for r in results
    ]
    totals = {
        key: {"drgen": as_dict(drgen), "checkov": as_dict(checkov)}
        for key, (drgen, checkov) in set_totals(results).items()
    }
    document = {"entries": entries, "totals": totals}
    return json.dumps(document, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--checkov", type=Path, default=DEFAULT_CHECKOV)
    parser.add_argument("--no-checkov", action="store_true")
    parser.add_argument("--set", choices=("dev", "held-out"))
    parser.add_argument("--only", nargs="+", metavar="NAME")
    parser.add_argument("--details", action="store_true", help="one line per expectation")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)

    entries, expectations = load_corpus(CORPUS)
    if args.set:
        entries = [e for e in entries if e.set == args.set]
    if args.only:
        unknown = sorted(set(args.only) - {e.name for e in entries})
        if unknown:
            parser.error(f"not in the corpus: {', '.join(unknown)}")
        entries = [e for e in entries if e.name in args.only]
    missing = [e for e in entries if not (args.corpus_dir / e.name).is_dir()]
    if missing:
        names = ", ".join(e.name for e in missing)
        print(
            f"error: {args.corpus_dir} lacks {names}; fetch each repository at its pinned "
            "commit (benchmarks/README.md, 'Accuracy corpus')",
            file=sys.stderr,
        )
        return 2
    checkov: Path | None = None
    if not args.no_checkov:
        if not args.checkov.is_file():
            print(f"error: no checkov at {args.checkov} (or pass --no-checkov)", file=sys.stderr)
            return 2
        checkov = args.checkov
    results = [
        evaluate(e, expectations[e.name], args.corpus_dir / e.name, checkov) for e in entries
    ]
    sys.stdout.write(
        render_json(results) if args.format == "json" else render_text(results, args.details)
    )
    return 1 if any(r.drgen_run.crashes for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
