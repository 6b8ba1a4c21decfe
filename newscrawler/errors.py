"""Exceptions shared by the command-line modules (``cli`` and ``schedule`` both raise them)."""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix; its message is printed as one line."""
