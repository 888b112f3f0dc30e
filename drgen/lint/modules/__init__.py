"""Modules: a module call's source -> its folder's declarations (local, or fetched)."""
