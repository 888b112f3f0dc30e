"""The Python checks behind the built-in policies, one module per domain or policy."""
