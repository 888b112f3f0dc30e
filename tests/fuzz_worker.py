"""Run drgen's readers over every input file in a folder under CPU and memory limits.

``python tests/fuzz_worker.py KIND FOLDER`` (KIND: spec, config or hcl) prints one JSON
list of the inputs that raised anything but DrgenError (with the exception); the limits
make a hang or a memory blow-up fail the test instead of the machine.
"""

from __future__ import annotations

import json
import resource
import sys
import traceback
from pathlib import Path

MEMORY_BYTES = 3 << 30
CPU_SECONDS = 240


def main(kind: str, folder: Path) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    from drgen.errors import DrgenError

    crashes = []
    for path in sorted(folder.iterdir()):
        try:
            _READERS[kind](path)
        except DrgenError:
            pass
        except Exception:
            crashes.append({"input": path.name, "error": traceback.format_exc(limit=3)[-800:]})
    print(json.dumps(crashes))
    return 0


def _spec(path: Path) -> None:
    from drgen.render import render_spec
    from drgen.spec import load_spec_with_warnings

    spec, _ = load_spec_with_warnings(path)
    render_spec(spec)


def _config(path: Path) -> None:
    from drgen.config import load_config

    load_config(path)


def _hcl(path: Path) -> None:
    from drgen.lint.engine.catalog import load_policies
    from drgen.lint.engine.run import lint_project
    from drgen.lint.topology.project import build_project

    project, _ = build_project([path], use_cache=False)
    lint_project(project, load_policies(), strict=True)


_READERS = {"spec": _spec, "config": _config, "hcl": _hcl}

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
