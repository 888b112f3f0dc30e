"""network: public subnets for the internet-facing load balancer, private subnets for the
servers and databases; the drgen 0.1 single list still validates (deprecated, with a warning)
and renders the same infrastructure: that one list in both tiers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from drgen.render import render_spec
from tests.fixtures.specs.support import (
    edited,
    errors_of,
    only,
    position_of,
    sample_text,
    warnings_of,
    write_spec,
)
from tests.render_support import make_spec

_PUBLIC = {
    "primary": ["subnet-0a0a0a0a", "subnet-0b0b0b0b"],
    "secondary": ["subnet-1a1a1a1a", "subnet-1b1b1b1b"],
}
_PRIVATE = {
    "primary": ["subnet-0c0c0c0c", "subnet-0d0d0d0d"],
    "secondary": ["subnet-1c1c1c1c", "subnet-1d1d1d1d"],
}
_ROOT = {"primary": "3-primary", "secondary": "4-recovery"}


def _tiered(side: str) -> dict[str, Any]:
    return {
        "vpc_id": "vpc-0e0e0e0e",
        "public_subnet_ids": _PUBLIC[side],
        "private_subnet_ids": _PRIVATE[side],
    }


def _argument(files: dict[str, str], path: str, name: str) -> str:
    match = re.search(rf"^\s*{name}\s+= (\S+)$", files[path], re.MULTILINE)
    assert match, f"{name} not in {path}"
    return match.group(1)


def _default(files: dict[str, str], root: str, variable: str) -> list[str]:
    block = (
        files[f"{root}/variables.tf"].split(f'variable "{variable}" {{', 1)[1].split("\n}", 1)[0]
    )
    match = re.search(r"default\s+= \[(.*)\]", block)
    assert match, f"{variable} has no default"
    return re.findall(r'"([^"]+)"', match.group(1))


@pytest.mark.parametrize("side", ["primary", "secondary"])
def test_balancer_in_public_subnets_servers_and_databases_in_private(side: str) -> None:
    files = render_spec(make_spec(network={s: _tiered(s) for s in ("primary", "secondary")})).files
    root = _ROOT[side]
    assert _argument(files, f"{root}/alb.tf", "subnets") == f"var.{side}_public_subnet_ids"
    assert _argument(files, f"{root}/compute.tf", "vpc_zone_identifier") == (
        f"var.{side}_private_subnet_ids"
    )
    assert _argument(files, f"{root}/database_access.tf", "subnet_ids") == (
        f"var.{side}_private_subnet_ids"
    )
    assert _default(files, root, f"{side}_public_subnet_ids") == _PUBLIC[side]
    assert _default(files, root, f"{side}_private_subnet_ids") == _PRIVATE[side]


def test_without_network_both_tiers_are_required_variables() -> None:
    files = render_spec(make_spec()).files
    for side, root in _ROOT.items():
        for tier in ("public", "private"):
            block = files[f"{root}/variables.tf"].split(f'variable "{side}_{tier}_subnet_ids"', 1)
            assert len(block) == 2 and "default" not in block[1].split("\n}", 1)[0]
    assert "TF_VAR_primary_public_subnet_ids=" in files["README.md"]
    assert "TF_VAR_secondary_private_subnet_ids=" in files["README.md"]


def test_without_a_load_balancer_no_public_subnets_are_asked_for() -> None:
    network = {s: {"vpc_id": "vpc-0e0e0e0e", "private_subnet_ids": _PRIVATE[s]} for s in _ROOT}
    spec = make_spec(pattern="backup-restore", dns=None, compute=None, network=network)
    files = render_spec(spec).files
    assert "public_subnet_ids" not in "".join(files.values())
    assert _argument(files, "4-recovery/database_access.tf", "subnet_ids") == (
        "var.secondary_private_subnet_ids"
    )


def test_the_deprecated_single_list_renders_it_in_both_tiers() -> None:
    single = {s: {"vpc_id": "vpc-0e0e0e0e", "subnet_ids": _PUBLIC[s]} for s in _ROOT}
    files = render_spec(make_spec(network=single)).files
    for side, root in _ROOT.items():
        assert _default(files, root, f"{side}_public_subnet_ids") == _PUBLIC[side]
        assert _default(files, root, f"{side}_private_subnet_ids") == _PUBLIC[side]


_OLD_FORM = "    subnet_ids: [subnet-0f1e2d3c4b5a69711, subnet-0f1e2d3c4b5a69722]\n"
_NEW_FORM = (
    "    public_subnet_ids: [subnet-0f1e2d3c4b5a69711, subnet-0f1e2d3c4b5a69722]\n"
    "    private_subnet_ids: [subnet-0f1e2d3c4b5a69733, subnet-0f1e2d3c4b5a69744]\n"
)


def _pilot_light_with(secondary: str) -> str:
    return edited(sample_text("pilot-light"), _NEW_FORM, secondary)


def test_the_deprecated_single_list_validates_with_a_located_warning(tmp_path: Path) -> None:
    text = _pilot_light_with(_OLD_FORM)
    warning = only(warnings_of(write_spec(tmp_path, text)))
    assert warning.json_path == "$.network.secondary.subnet_ids"
    assert (warning.line, warning.column) == position_of(text, "[subnet-0f1e2d3c4b5a69711")
    assert "deprecated" in warning.message
    assert warning.hint is not None and "public_subnet_ids" in warning.hint


def test_a_load_balancer_without_public_subnets_is_an_error(tmp_path: Path) -> None:
    text = _pilot_light_with(_NEW_FORM.splitlines(keepends=True)[1])
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.json_path == "$.network.secondary"
    assert "needs public subnets" in problem.message


def test_the_single_list_and_tiers_do_not_mix(tmp_path: Path) -> None:
    text = _pilot_light_with(_OLD_FORM + _NEW_FORM)
    paths = sorted(p.json_path or "" for p in errors_of(write_spec(tmp_path, text)))
    assert paths == [
        "$.network.secondary.public_subnet_ids",
        "$.network.secondary.subnet_ids",
    ]


def test_no_subnets_at_all_names_both_choices(tmp_path: Path) -> None:
    text = _pilot_light_with("")
    problem = only(errors_of(write_spec(tmp_path, text)))
    assert problem.message == "missing one of the keys 'private_subnet_ids' or 'subnet_ids'"


def test_a_subnet_in_both_tiers_warns(tmp_path: Path) -> None:
    text = _pilot_light_with(
        _NEW_FORM.replace("subnet-0f1e2d3c4b5a69733", "subnet-0f1e2d3c4b5a69711")
    )
    warning = only(warnings_of(write_spec(tmp_path, text)))
    assert warning.json_path == "$.network.secondary.private_subnet_ids"
    assert "subnet-0f1e2d3c4b5a69711" in warning.message
