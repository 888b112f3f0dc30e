"""Run the composite Action's own step scripts as the runner would, without GitHub.

Only ``${{ inputs.X }}`` and ``${{ steps.ID.outputs.Y }}`` are substituted (all the scripts'
``env:`` blocks use); steps that ``uses:`` another action are the runner's business and are
checked separately (pinned by SHA).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CHECKOUT = Path(__file__).resolve().parents[1]
ACTION: dict[str, Any] = yaml.safe_load((CHECKOUT / "action.yml").read_text(encoding="utf-8"))
_EXPRESSION = re.compile(r"\$\{\{\s*(inputs|steps)\.([\w-]+)(?:\.outputs\.([\w-]+))?\s*\}\}")


def step(step_id_or_name: str) -> dict[str, Any]:
    for candidate in ACTION["runs"]["steps"]:
        if step_id_or_name in (candidate.get("id"), candidate.get("name")):
            return dict(candidate)
    raise KeyError(step_id_or_name)


@dataclass
class Runner:
    """One job: inputs (defaults from action.yml), the runner's folders, step outputs so far."""

    temp: Path
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    summary: Path | None = None

    def value(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            kind, name, output = match.groups()
            if kind == "inputs":
                default = ACTION["inputs"][name].get("default", "")
                return self.inputs.get(name, str(default))
            return self.outputs.get(name, {}).get(output or "", "")

        return _EXPRESSION.sub(replace, text)

    def run(self, name: str, cwd: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
        """Run one step's script (bash -e, as the runner does); record its outputs."""
        definition = step(name)
        outputs = self.temp / f"output-{definition.get('id', 'step')}"
        outputs.write_text("", encoding="utf-8")
        self.summary = self.summary or self.temp / "step-summary.md"
        env = {
            **os.environ,
            "GITHUB_ACTION_PATH": str(CHECKOUT),
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_OS": "Linux",
            **{key: self.value(str(v)) for key, v in definition.get("env", {}).items()},
            **extra_env,
        }
        done = subprocess.run(
            ["bash", "-e", "-c", definition["run"]],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if "id" in definition:
            lines = outputs.read_text(encoding="utf-8").splitlines()
            self.outputs[definition["id"]] = dict(line.split("=", 1) for line in lines if line)
        return done
