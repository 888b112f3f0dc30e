"""The figures file: valid, sourced, ordered; and the Range arithmetic estimates rest on."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drgen.errors import DrgenError
from drgen.objectives import Range, load_figures
from drgen.objectives.figures import figures_path, route53_failover

SPEC_FIGURES = {  # every figure issue 5 names, by id
    "s3-replication-rtc", "s3-replication", "aurora-global-lag", "aurora-global-failover",
    "dynamodb-global-table", "dynamodb-mrsc", "rds-replica-lag", "rds-replica-promotion",
    "backup-copy", "pitr", "route53-failover", "restore-from-backup",
    "glacier-standard-retrieval", "glacier-deep-archive-retrieval", "asg-launch-from-zero",
}  # fmt: skip


def test_bundled_figures_cover_the_issue_and_cite_aws_pages() -> None:
    figures = load_figures()
    assert set(figures) >= SPEC_FIGURES
    for figure in figures.values():
        assert figure.source.startswith("https://docs.aws.amazon.com/"), figure.id
        assert len(figure.assumptions) > 20, figure.id


def test_only_s3_rtc_is_sla_backed() -> None:
    assert [f.id for f in load_figures().values() if f.range.sla] == ["s3-replication-rtc"]
    rtc = load_figures()["s3-replication-rtc"].range
    assert rtc.worst == 15 * 60


def test_route53_figure_matches_the_settings_drgen_renders() -> None:
    rendered = route53_failover(request_interval=30, failure_threshold=3, ttl=60)
    assert load_figures()["route53-failover"].range == rendered


def _write(tmp_path: Path, edit: dict[str, object]) -> Path:
    raw = yaml.safe_load(figures_path().read_text(encoding="utf-8"))
    raw["figures"]["s3-replication-rtc"].update(edit)
    path = tmp_path / "objectives.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"source": "docs.aws.amazon.com/x"}, "has the wrong format"),
        ({"sla": "yes"}, "expected true or false, got 'yes'"),
        ({"typical": -1}, "-1 is below the minimum of 0"),
        ({"typical": 1000}, "best <= typical <= worst"),
    ],
)
def test_invalid_figures_are_located_errors(
    tmp_path: Path, edit: dict[str, object], message: str
) -> None:
    path = _write(tmp_path, edit)
    with pytest.raises(DrgenError) as caught:
        load_figures(path)
    text = caught.value.format()
    assert message in text and str(path) in text and "s3-replication-rtc" in text
    assert all(problem.line and problem.hint for problem in caught.value.problems)


def test_unreadable_figures_file(tmp_path: Path) -> None:
    path = tmp_path / "objectives.yaml"
    path.write_text("figures: [unclosed", encoding="utf-8")
    with pytest.raises(DrgenError, match="malformed YAML") as caught:
        load_figures(path)
    assert caught.value.problems[0].line == 1
    with pytest.raises(DrgenError, match="cannot read RPO/RTO figures"):
        load_figures(tmp_path / "absent.yaml")


def test_ranges_in_sequence_add_up_and_keep_an_sla_only_if_both_have_one() -> None:
    sla, loose = Range(1, 2, 3, sla=True), Range(10, 20, None, sla=False)
    assert sla + sla == Range(2, 4, 6, sla=True)
    assert sla + loose == Range(11, 22, None, sla=False)


def test_a_guarantee_needs_an_sla_backed_bound_within_the_objective() -> None:
    assert Range(1, 15, 900, sla=True).guarantees(900)
    assert not Range(1, 15, 900, sla=True).guarantees(899)
    assert not Range(1, 15, 900, sla=False).guarantees(3600)
    assert not Range(1, 15, None, sla=True).guarantees(10**9)


def test_a_schedule_loses_up_to_one_interval() -> None:
    assert Range.schedule(3600) == Range(0, 3600, 3600, sla=True)
