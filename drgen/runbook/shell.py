"""Render a procedure as a bash script: set -euo pipefail, one confirmation per step.

Every argument is quoted for bash (identifiers are safe, but the health-check path is the
user's text); captured values are assigned to variables first, so a failed lookup stops
the script under ``set -e`` instead of passing an empty argument on.
"""

from __future__ import annotations

import shlex

from drgen.runbook.model import Arg, Command, Join, Procedure, Runbook, Var

_PRELUDE = """\
set -euo pipefail
cd "$(dirname "$0")/.."  # the rendered tree's top: terraform -chdir paths start here

assume_yes=0
if [[ ${1:-} == --yes ]]; then assume_yes=1; fi

step() {  # number, title: ask before each step (--yes answers for you, e.g. in a drill)
  printf '\\n== Step %s of %s: %s\\n' "$1" "$STEPS" "$2"
  if ((assume_yes)); then return 0; fi
  local answer
  read -r -p "Run this step? [y/N] " answer
  if [[ $answer != [yY] ]]; then
    echo "Stopped before step $1; run the script again to resume from the start." >&2
    exit 1
  fi
}

run() {  # print a command, then run it
  printf '+'
  printf ' %q' "$@"
  printf '\\n'
  "$@"
}

expect() {  # wanted value, command…: poll until the command prints the value
  local want=$1 got="" tries
  shift
  for ((tries = 0; tries < ${DRGEN_POLL_TRIES:-80}; tries++)); do
    got=$(run "$@" | tail -n 1) && [[ $got == "$want" ]] && return 0
    sleep "${DRGEN_POLL_SECONDS:-15}"
  done
  echo "gave up: '$*' printed '$got', not '$want'" >&2
  return 1
}
"""


def procedure_script(runbook: Runbook, procedure: Procedure, header: str) -> str:
    avoid = (
        f"# It calls nothing in {procedure.avoid_region}: every AWS call names "
        f"--region {runbook.recovery_region}.\n"
        if procedure.avoid_region
        else "# Both regions are healthy: every AWS call names the region it acts on.\n"
    )
    lines = [
        "#!/usr/bin/env bash",
        header.rstrip("\n"),
        f"# {procedure.name.capitalize()}: {procedure.summary}.",
        avoid.rstrip("\n"),
        "# Usage: bash " + f"runbook/{procedure.name}.sh [--yes]",
        _PRELUDE.rstrip("\n"),
        f"STEPS={len(procedure.steps)}",
    ]
    for number, step in enumerate(procedure.steps, 1):
        lines += ["", f"# {step.why}", f"step {number} {shlex.quote(step.title)}"]
        lines += [command_line(command) for command in step.commands]
        if not step.commands:  # work drgen does not render: the script only waits for it
            lines.append("echo " + shlex.quote("Do this by hand, then run the next step."))
    lines += ["", f"echo {shlex.quote(procedure.name.capitalize() + ' complete.')}"]
    return "\n".join(lines) + "\n"


def readme_line(command: Command) -> str:
    """The same call for a person at a shell: no ``run`` helper; a poll says what to wait for."""
    if command.program == "expect":
        words = " ".join(_word(arg) for arg in command.argv[2:])
        return f"{words}  # repeat until it prints {_word(command.argv[1])}"
    words = " ".join(_word(arg) for arg in command.argv)
    if command.capture:
        return f'{command.capture}="$({words})"'
    return f"{words}  # may fail: the answer is the information" if command.probe else words


def command_line(command: Command) -> str:
    """One line of bash for ``command`` (assignment, probe or plain run)."""
    words = " ".join(_word(arg) for arg in command.argv)
    if command.capture:
        return f'{command.capture}="$({words})"'
    if command.probe:
        return f"run {words} || echo '(no answer)'"
    if command.program == "expect":
        return words
    return f"run {words}"


def _word(arg: Arg) -> str:
    if isinstance(arg, str):
        return shlex.quote(arg)
    if isinstance(arg, Var):
        return f'"${{{arg.name}}}"'
    return _join(arg)


def _join(join: Join) -> str:
    inner = "".join(
        f"${{{part.name}}}" if isinstance(part, Var) else _double_quoted(part)
        for part in join.parts
    )
    return f'"{inner}"'


def _double_quoted(text: str) -> str:
    return "".join("\\" + ch if ch in '\\"$`' else ch for ch in text)
