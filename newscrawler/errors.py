"""Exceptions shared by the command-line modules (``cli`` and ``schedule`` both raise them).

Each carries a one-line message for the user; ``cli.main`` prints it as ``error: MESSAGE`` and
exits with the error's status: 2 for a mistake in what was asked, 1 for a failure of what the
command needs (a server down, a host that does not answer).
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix (exit status 2); its message is printed as one line."""


class RunError(Exception):
    """The command cannot run: something it needs is not there (exit status 1); one line."""
