"""Properties over many specs: every combination renders parseable, formatted, consistent HCL."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import hcl2
from hypothesis import given, settings
from hypothesis import strategies as st

from drgen.lint.engine.catalog import load_policies
from drgen.lint.engine.run import lint_project
from drgen.lint.topology.project import build_project
from drgen.render import render_spec
from drgen.render.fmt import format_hcl
from drgen.spec.schema import SCHEMA_FILE
from drgen.yamldoc.schema import bundled_schema
from tests.render_support import make_spec

_NAMES = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6}){0,3}", fullmatch=True)
# The schema's extra rule for workload names (no internal-/sg- prefixes AWS rejects).
_WORKLOAD_RULE = re.compile(bundled_schema(SCHEMA_FILE)["$defs"]["workloadName"]["pattern"])
_STORES = st.one_of(
    st.builds(
        lambda n, d: {"type": "s3", "name": n, "glacier_after_days": d}, _NAMES, st.integers(1, 999)
    ),
    st.builds(lambda n: {"type": "dynamodb", "name": n, "hash_key": "pk"}, _NAMES),
    st.builds(
        lambda n, e: {"type": "aurora", "name": n, "engine": e},
        _NAMES,
        st.sampled_from(["aurora-postgresql", "aurora-mysql"]),
    ),
    st.builds(
        lambda n, e: {"type": "rds", "name": n, "engine": e},
        _NAMES,
        st.sampled_from(["postgres", "mysql", "mariadb"]),
    ),
)
_PATTERNS = st.sampled_from(
    [
        ("backup-restore", None),
        ("pilot-light", None),
        ("warm-standby", None),
        ("active-active", "write-global"),
        ("active-active", "write-origin"),
        ("active-active", "write-local"),
    ]
)


@st.composite
def _specs(draw: st.DrawFn) -> dict[str, Any]:
    pattern, write_mode = draw(_PATTERNS)
    stores = draw(st.lists(_STORES, max_size=5, unique_by=lambda s: s["name"]))
    return {
        "name": draw(_NAMES.filter(lambda n: len(n) >= 2 and _WORKLOAD_RULE.match(n))),
        "pattern": pattern,
        "write_mode": write_mode,
        "dual_master_acknowledgement": "accepted" if write_mode == "write-local" else None,
        "data": stores,
        "resilience_hub": draw(st.booleans()),
        "backup": {
            "every": draw(st.sampled_from(["1h", "4h", "7h", "1d", "2d", "7d", "30d"])),
            "retention_days": draw(st.integers(1, 400)),
            "cold_storage_after_days": draw(st.none() | st.integers(1, 100)),
        },
    }


@settings(max_examples=40, deadline=None)
@given(_specs())
def test_any_spec_renders_parseable_formatted_consistent_terraform(raw: dict[str, Any]) -> None:
    tree = render_spec(make_spec(**raw))
    declared: set[str] = set()
    for name, text in tree.files.items():
        if not name.endswith(".tf"):
            continue
        assert format_hcl(text) == text, name
        root = name.rsplit("/", 1)[0]
        for block in hcl2.loads(text).get("resource", []):
            for rtype, named in block.items():
                declared.update(
                    f"{root}/{rtype.strip(chr(34))}.{label.strip(chr(34))}" for label in named
                )
    assert declared == tree.resources
    plan = hcl2.loads(tree.files["3-primary/backup.tf"])["resource"]
    rule = next(b['"aws_backup_plan"']['"dr"'] for b in plan if '"aws_backup_plan"' in b)["rule"][0]
    lifecycle = rule["lifecycle"][0]
    if "cold_storage_after" in lifecycle:
        assert lifecycle["delete_after"] >= lifecycle["cold_storage_after"] + 90


_TAG_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40
)  # any Unicode scalar value: quotes, backslashes, ${, %{, control and line-breaking characters
_TAGS = st.dictionaries(
    _TAG_TEXT.filter(lambda k: not k.lower().startswith(("aws:", "drgen:"))), _TAG_TEXT, max_size=4
)


@settings(max_examples=12, deadline=None)
@given(_TAGS, _PATTERNS)
def test_lint_accepts_every_rendered_tree_whatever_the_tags(
    tags: dict[str, str], pattern: tuple[str, str | None]
) -> None:
    """drgen lint parses (and self-lints clean) what drgen renders, for arbitrary tag strings:
    the tree-sitter and python-hcl2 front ends read the escaped literals back."""
    kind, write_mode = pattern
    extra = {"dual_master_acknowledgement": "accepted"} if write_mode == "write-local" else {}
    tree = render_spec(make_spec(tags=tags, pattern=kind, write_mode=write_mode, **extra))
    with tempfile.TemporaryDirectory() as folder:
        for name, text in tree.files.items():
            path = Path(folder, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        project, errors = build_project([Path(folder)], use_cache=False)
        assert errors == [], [e.format() for e in errors]
        findings = lint_project(project, load_policies(), strict=False)
        assert [f for f in findings if not f.suppressed] == []
