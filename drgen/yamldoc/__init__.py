"""Located YAML documents validated against a JSON Schema, for every user-facing YAML file.

``reader.load_located_yaml`` parses with positions and safety limits; ``schema.schema_problems``
turns JSON Schema violations into sorted, located problems with a fix. Import the submodules
directly: this package pulls in PyYAML and jsonschema, which `drgen lint` avoids at start-up.
"""
