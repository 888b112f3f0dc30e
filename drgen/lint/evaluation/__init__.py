"""Evaluation: declarations + inputs -> module instances with values, regions, references."""
