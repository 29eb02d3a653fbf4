"""A module importable only through --pythonpath (its folder is on no other path)."""

VALUE = "imported from a --pythonpath directory"
