"""Moved to `stonebridge.pages`. Only `engagement/api.py` still imports from here, while its
split into schemas and routes is under way; that import changes and this module goes with it."""

from stonebridge.pages import Pages

__all__ = ["Pages"]
