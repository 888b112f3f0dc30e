"""The model: the types every stage passes on (Blocks, Roots, Resources, UNKNOWN)."""
