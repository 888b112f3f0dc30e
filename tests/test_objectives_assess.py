"""`drgen assess`: golden JSON and text for every sample spec, and the verdict rules."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drgen.domain import Pattern, StoreType
from drgen.errors import DrgenError
from drgen.objectives import assess_spec, assessment_markdown
from drgen.objectives.check import PATTERNS_BY_COST
from drgen.objectives_command import run_assess
from drgen.resources import data_dir
from drgen.spec import load_spec
from drgen.spec.model import DataStore, Objectives, Spec
from tests.golden import GOLDEN_ROOT, assert_golden_text

SAMPLES = sorted(data_dir("samples").glob("*.yaml"))


def _sample(name: str) -> Spec:
    return load_spec(data_dir("samples") / f"{name}.yaml")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_assess_golden(
    sample: Path, fmt: str, capsys: pytest.CaptureFixture[str], update_goldens: bool
) -> None:
    assert run_assess(sample, fmt) == 0
    out = capsys.readouterr().out
    suffix = "json" if fmt == "json" else "txt"
    assert_golden_text(out, GOLDEN_ROOT / "assess" / f"{sample.stem}.{suffix}", update_goldens)


def test_json_shape_is_the_documented_contract(capsys: pytest.CaptureFixture[str]) -> None:
    run_assess(SAMPLES[0], "json")
    document = json.loads(capsys.readouterr().out)
    assert list(document) == [
        "version", "objectives", "estimate", "meets", "guaranteed", "components", "rto_timeline",
    ]  # fmt: skip
    assert document["version"] == 2
    timeline = document["rto_timeline"]
    assert [entry["step"] for entry in timeline][:2] == ["Detection", "Decision"]
    assert sum(entry["rto"]["typical"] for entry in timeline) == document["estimate"]["rto_seconds"]
    assert all(entry["sources"] for entry in timeline)
    assert set(document["objectives"]) == {"rpo_seconds", "rto_seconds"}
    assert set(document["meets"]) == set(document["guaranteed"]) == {"rpo", "rto"}
    component = document["components"][0]
    assert {"name", "kind", "rpo", "rto", "basis", "sla", "source"} <= set(component)
    assert set(component["rto"]) == {"best", "typical", "worst", "sla"}


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(DrgenError) as caught:
        run_assess(SAMPLES[0], "yaml")
    assert caught.value.exit_code == 2
    assert "text, json" in caught.value.format()


def test_bad_spec_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: 1\nname: x\n", encoding="utf-8")
    with pytest.raises(DrgenError) as caught:
        run_assess(spec, "text")
    assert caught.value.exit_code == 2


def test_backup_restore_rpo_is_the_interval_plus_copy_time() -> None:
    spec = _sample("backup-restore")
    every_hour = replace(spec, backup=replace(spec.backup, every="1h"))
    database = next(c for c in assess_spec(every_hour).components if c.kind == "rds")
    assert database.rpo is not None
    assert (database.rpo.best, database.rpo.typical) == (300, 3600 + 3600)  # copy; interval + copy
    assert database.rpo.worst is None  # the copy time has no published bound
    assert database.rto.typical == 4 * 3600  # restore from backup: hours


def test_pilot_light_rto_is_scale_from_zero_after_dns_failover() -> None:
    compute = next(c for c in assess_spec(_sample("pilot-light")).components if c.kind == "compute")
    assert compute.rto.typical == 300 + 150  # launch + health checks, after 30s x 3 + 60s TTL
    assert [f.id for f in compute.figures] == ["route53-failover", "asg-launch-from-zero"]


def test_warm_standby_recovers_in_minutes_and_active_active_by_dns_only() -> None:
    warm = assess_spec(_sample("warm-standby"))
    assert 60 <= warm.estimate_rto <= 3600
    active = assess_spec(_sample("active-active-write-origin"))
    assert active.weakest_rto is not None and active.weakest_rto.kind == "dns"
    compute = next(c for c in active.components if c.kind == "compute")
    assert compute.rto.worst == 0


def test_estimate_is_the_typical_figure_of_the_weakest_component() -> None:
    assessment = assess_spec(_sample("warm-standby"))
    typicals = [c.rpo.typical for c in assessment.components if c.rpo is not None]
    assert assessment.estimate_rpo == max(typicals)
    assert assessment.weakest_rpo is not None and assessment.weakest_rpo.kind == "rds"


def test_guaranteed_only_when_every_stateful_figure_has_an_sla_that_meets() -> None:
    spec = replace(
        _sample("pilot-light"),
        data=(DataStore(type=StoreType.S3, name="statements"),),
        objectives=Objectives(rpo="15m", rto="4h"),
    )
    assert assess_spec(spec).guaranteed_rpo  # S3 RTC: 99.99% within 15 minutes, SLA-backed
    tighter = replace(spec, objectives=Objectives(rpo="10m", rto="4h"))
    assert assess_spec(tighter).meets_rpo and not assess_spec(tighter).guaranteed_rpo
    with_aurora = replace(spec, data=(*spec.data, DataStore(type=StoreType.AURORA, name="db")))
    assert assess_spec(with_aurora).meets_rpo and not assess_spec(with_aurora).guaranteed_rpo
    assert not assess_spec(spec).guaranteed_rto  # DNS failover has no SLA-backed bound


def test_stateless_workload_has_rpo_zero_and_no_guarantee() -> None:
    spec = replace(_sample("warm-standby"), data=())
    assessment = assess_spec(spec)
    assert assessment.estimate_rpo == 0 and assessment.meets_rpo
    assert not assessment.guaranteed_rpo


def test_glacier_widens_only_the_worst_rto_of_a_bucket() -> None:
    spec = replace(
        _sample("warm-standby"),
        data=(DataStore(type=StoreType.S3, name="a", glacier_after_days=30),),
    )
    [bucket] = [c for c in assess_spec(spec).components if c.kind == "s3"]
    assert (bucket.rto.best, bucket.rto.typical, bucket.rto.worst) == (0, 0, 5 * 3600)


def test_every_pattern_assesses_every_store_type() -> None:
    stores = tuple(DataStore(type=t, name=t.value) for t in StoreType)
    for pattern in Pattern:
        assessment = assess_spec(replace(_sample("warm-standby"), pattern=pattern, data=stores))
        assert [c.kind for c in assessment.components][:4] == [t.value for t in StoreType]


def test_markdown_table_has_a_row_per_component_and_both_verdicts() -> None:
    assessment = assess_spec(_sample("warm-standby"))
    table = assessment_markdown(assessment)
    components = table.split("\n\n")[0].splitlines()
    rows = [line for line in components if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(assessment.components)
    assert assessment.timeline is not None
    assert f"| {len(assessment.timeline.entries)} | DNS caches expire |" in table
    assert "- RPO " in table and "- RTO " in table


@given(
    stores=st.lists(st.sampled_from(list(StoreType)), min_size=0, max_size=4),
    hours=st.integers(min_value=1, max_value=48),
)
def test_costlier_patterns_never_recover_slower(stores: list[StoreType], hours: int) -> None:
    """The premise of the cheapest-fix search: paying for more standby never worsens RTO or RPO."""
    base = _sample("warm-standby")
    spec = replace(
        base,
        data=tuple(DataStore(type=t, name=f"{t.value}{i}") for i, t in enumerate(stores)),
        backup=replace(base.backup, every=f"{hours}h"),
    )
    estimates = [assess_spec(replace(spec, pattern=p)) for p in PATTERNS_BY_COST]
    rtos = [a.estimate_rto for a in estimates]
    rpos = [a.estimate_rpo for a in estimates]
    assert rtos == sorted(rtos, reverse=True)
    assert rpos == sorted(rpos, reverse=True)
