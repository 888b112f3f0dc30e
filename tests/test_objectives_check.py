"""check_objectives: a located problem per unmet objective, with the cheapest fix as hint."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from drgen.domain import FailoverMode, StoreType
from drgen.objectives import check_objectives
from drgen.resources import data_dir
from drgen.spec import load_spec
from drgen.spec.model import Backup, DataStore, Objectives, Spec


def _sample(name: str, rpo: str, rto: str, **changes: object) -> Spec:
    spec = load_spec(data_dir("samples") / f"{name}.yaml")
    return replace(spec, objectives=Objectives(rpo=rpo, rto=rto), **changes)


def test_every_sample_meets_its_own_objectives() -> None:
    for path in sorted(data_dir("samples").glob("*.yaml")):
        assert check_objectives(load_spec(path)) == [], path.name


def test_backup_interval_too_long_for_the_rpo_suggests_a_shorter_interval() -> None:
    daily = Backup(every="24h", retention_days=35)
    [problem] = check_objectives(_sample("backup-restore", "8h", "1d", backup=daily))
    assert problem.json_path == "$.objectives.rpo"
    assert problem.file is not None and problem.file.endswith("backup-restore.yaml")
    assert (problem.line, problem.column) == (15, 8)  # where `rpo: 24h` is written
    assert "cannot meet RPO 8h" in problem.message and "products" in problem.message
    assert problem.hint == "set backup.every to 6h (estimated RPO 7h)"


def test_rpo_no_backup_interval_can_meet_suggests_the_cheapest_pattern() -> None:
    [problem] = check_objectives(_sample("backup-restore", "1h", "1d"))
    assert "every 4h" in problem.message
    assert problem.hint == "use pattern: pilot-light (estimated RPO 1m)"


def test_rto_miss_points_at_the_rto_key_with_a_pattern() -> None:
    [problem] = check_objectives(_sample("backup-restore", "1d", "1h"))
    assert problem.json_path == "$.objectives.rto" and problem.line == 16
    assert problem.message.endswith(
        "(failover timeline: detection 0s + decision 15m + 3 runbook steps 4h 2m 30s)"
    )
    assert problem.hint == "use pattern: pilot-light (estimated RTO 27m 30s)"


def test_rds_lag_beyond_the_rpo_suggests_aurora() -> None:
    [problem] = check_objectives(_sample("warm-standby", "30s", "1h"))
    assert problem.hint is not None
    assert problem.hint.startswith("move the rds data stores to aurora (global database)")


def test_unreachable_objective_says_what_is_achievable() -> None:
    problems = check_objectives(_sample("active-active-write-global", "1m", "1m"))
    assert [p.json_path for p in problems] == ["$.objectives.rto"]
    assert problems[0].hint == (
        "no pattern drgen renders reaches 1m with these data stores (best estimate 25m 30s): "
        "relax objectives.rto"
    )


def test_a_shorter_decision_time_is_suggested_when_it_is_enough() -> None:
    [problem] = check_objectives(_sample("active-active-write-global", "1m", "20m"))
    assert problem.hint == (
        "lower failover.decision_time to 9m or less (the rest of the timeline takes 10m 30s)"
    )


def test_automatic_failover_is_suggested_where_every_store_allows_it() -> None:
    spec = _sample("active-active-write-local", "1m", "5m")
    manual = replace(spec, failover=replace(spec.failover, mode=FailoverMode.MANUAL))
    [problem] = check_objectives(manual)
    assert problem.hint == (
        "set failover.mode: automatic, which every store here allows (estimated RTO 2m 30s)"
    )
    assert check_objectives(spec) == []  # the sample does


def test_spec_without_a_file_still_gets_a_json_path() -> None:
    spec = _sample("pilot-light", "15m", "1m", source=None)
    [problem] = check_objectives(spec)
    assert problem.file is None and problem.line is None
    assert problem.json_path == "$.objectives.rto"


def test_spec_with_only_s3_meets_a_15_minute_rpo_in_backup_restore() -> None:
    stores = (DataStore(type=StoreType.S3, name="images", glacier_after_days=90),)
    assert check_objectives(_sample("backup-restore", "15m", "1d", data=stores)) == []


def test_validate_exits_1_with_the_fix_and_render_still_renders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from drgen.render.command import run_render
    from drgen.spec.command import run_validate

    text = (data_dir("samples") / "backup-restore.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text.replace("rpo: 24h", "rpo: 1h "), encoding="utf-8")
    assert run_validate(spec) == 1
    err = capsys.readouterr().err
    assert f"{spec}:15:8: backup-restore cannot meet RPO 1h" in err
    assert "fix: use pattern: pilot-light" in err
    assert run_render(spec, tmp_path / "out", check=False, diff=False, force=False) == 0
    assert "cannot meet RPO 1h" in capsys.readouterr().err
    assert (tmp_path / "out").is_dir()
