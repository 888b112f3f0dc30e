"""Every rendered README (samples and variations) shows values, never Terraform syntax: an
operator copies its commands and host names as they are. The runbook's shell variables
(``"${LOAD_BALANCER_RECOVERY}"``, upper case) are the only ``${`` it may hold, besides the
spec's own words (the dual-master acknowledgement is quoted as written)."""

from __future__ import annotations

import re

import pytest

from drgen.render.environment import markdown_text

from .rendering import RenderedCase
from .test_rendered_trees import CASE_IDS

# ${ or %{ not opening a shell variable reference such as ${NAME} or ${NAME:-default}
_TERRAFORM_SYNTAX = re.compile(r"\$\{(?![A-Z][A-Z0-9_]*(?::-[^}]*)?\})|%\{")


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_readme_holds_no_terraform_interpolation(
    case_id: str, rendered: dict[str, RenderedCase]
) -> None:
    case = rendered[case_id]
    readme = case.require_tree().files["README.md"]
    assert case.spec is not None
    if case.spec.dual_master_acknowledgement:
        quoted = markdown_text(case.spec.dual_master_acknowledgement)
        assert quoted in readme
        readme = readme.replace(quoted, "")
    found = [
        f"README.md:{number}: {line.strip()}"
        for number, line in enumerate(readme.splitlines(), 1)
        if _TERRAFORM_SYNTAX.search(line)
    ]
    assert not found, "\n".join(found)
