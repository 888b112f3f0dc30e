"""Check an ``aws …`` command line against botocore's service models, as the AWS CLI reads
them: the operation (or waiter) exists, every option is one of its parameters (booleans as
``--flag`` / ``--no-flag``), and every required parameter is given."""

from __future__ import annotations

from functools import cache
from typing import Any

from botocore import xform_name
from botocore.session import Session, get_session

GLOBAL_OPTIONS = frozenset({"--region", "--query", "--output", "--endpoint-url"})
_SERVICE = {"s3api": "s3"}
# AWS CLI customisations on top of the API (options the CLI adds and fills in itself).
_CUSTOM: dict[tuple[str, str], frozenset[str]] = {
    ("s3", "sync"): frozenset({"--source-region"}),
    ("cloudwatch", "put-metric-data"): frozenset({"--metric-name", "--value", "--dimensions"}),
}
_FILLED_BY_CUSTOM = {("cloudwatch", "put-metric-data"): {"MetricData"}}


@cache
def _session() -> Session:
    return get_session()


def cli_problem(argv: list[str]) -> str:
    """Why the AWS CLI would reject ``argv`` ("aws", service, operation, …), or ""."""
    service, words = argv[1], argv[2:]
    custom = _CUSTOM.get((service, words[0]))
    if service == "s3":
        return "" if custom is not None else f"aws s3 {words[0]} is not checked"
    model = _session().get_service_model(_SERVICE.get(service, service))
    if words[0] == "wait":
        operation_name = _waiter_operation(_SERVICE.get(service, service), words[1])
        if not operation_name:
            return f"aws {service} has no waiter {words[1]}"
        options = words[2:]
    else:
        operation_name = next(
            (name for name in model.operation_names if xform_name(name, "-") == words[0]), ""
        )
        if not operation_name:
            return f"aws {service} has no operation {words[0]}"
        options = words[1:]
    shape = model.operation_model(operation_name).input_shape
    given, problem = _given(shape.members, options, custom or frozenset())
    if problem:
        return problem
    missing = (
        set(shape.required_members) - given - _FILLED_BY_CUSTOM.get((service, words[0]), set())
    )
    return f"missing required {', '.join(sorted(missing))}" if missing else ""


def _waiter_operation(service: str, name: str) -> str:
    waiters = _session().get_waiter_model(service)
    for waiter in waiters.waiter_names:
        if xform_name(waiter, "-") == name:
            return str(waiters.get_waiter(waiter).operation)
    return ""


def _given(
    members: dict[str, Any], options: list[str], custom: frozenset[str]
) -> tuple[set[str], str]:
    """The API parameters ``options`` set, or the first option the CLI would reject."""
    flags = {f"--{xform_name(name, '-')}": name for name in members}
    booleans = {flag for flag, name in flags.items() if members[name].type_name == "boolean"}
    given: set[str] = set()
    index = 0
    while index < len(options):
        option = options[index]
        if option in booleans or (option.startswith("--no-") and "--" + option[5:] in booleans):
            given.add(flags.get(option) or flags["--" + option[5:]])
            index += 1
            continue
        if option not in flags and option not in GLOBAL_OPTIONS and option not in custom:
            return given, f"unknown option {option}"
        if option in flags:
            given.add(flags[option])
        index += 2
    return given, ""
