"""Topology: the roots of one scan -> the analysed Project, roots linked into DR stacks."""
