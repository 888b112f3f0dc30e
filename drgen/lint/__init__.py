"""Lint existing Terraform for DR anti-patterns."""
