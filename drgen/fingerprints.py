"""Identities of findings that survive edits and do not depend on how lint was invoked.

A fingerprint names the rule, the root module and the address relative to the repository
root (so ``drgen lint infra``, ``drgen lint .`` and a hook linting one folder agree) and the
kind of problem (so two different problems of one rule on one resource stay two), never a
line. The declaration key names where the resource is written instead of which root
instantiates it: a child module linted on its own matches what a full run recorded.
"""

from __future__ import annotations

import posixpath
import re

from drgen.findings import Finding

_MODULE_PREFIX = re.compile(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)+")


def repo_relative(path: str, repo_prefix: str) -> str:
    """A posix path relative to the scanned folder, made relative to the repository root."""
    joined = posixpath.join(repo_prefix, path) if repo_prefix else path
    return posixpath.normpath(joined)


def local_address(address: str) -> str:
    """The address inside its module: ``module.db.aws_db_instance.x`` -> ``aws_db_instance.x``."""
    return _MODULE_PREFIX.sub("", address)


def fingerprint(finding: Finding, repo_prefix: str) -> str:
    target = finding.resource or repo_relative(finding.file, repo_prefix)
    root = repo_relative(finding.root, repo_prefix)
    return f"{finding.rule_id}|{root}|{target}|{finding.kind}"


def declaration_key(rule_id: str, file: str, resource: str, kind: str) -> str:
    """Rule, the folder declaring the resource (repository-relative), its local address, kind."""
    return f"{rule_id}|{posixpath.dirname(file) or '.'}|{local_address(resource)}|{kind}"


def finding_declaration_key(finding: Finding, repo_prefix: str) -> str | None:
    """The declaration key of a finding in a folder linted as a root of its own: a resource of
    the root itself, declared in the root's folder (else None)."""
    if not finding.resource or local_address(finding.resource) != finding.resource:
        return None
    file = repo_relative(finding.file, repo_prefix)
    if (posixpath.dirname(file) or ".") != repo_relative(finding.root, repo_prefix):
        return None
    return declaration_key(finding.rule_id, file, finding.resource, finding.kind)
