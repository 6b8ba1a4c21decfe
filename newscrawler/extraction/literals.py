"""The literal text a regular expression needs: a cheap prefilter in front of costly patterns.

:func:`required_literals` reads a pattern's parse tree (the standard library's own regex parser)
and returns strings one of which every match contains. A text holding none of them cannot match,
so the pattern need not run, nor even be compiled. Because the literals come from the pattern
itself, they follow any change of it.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["required_literals"]

_MAX_CLASS_CHARS = 16


def required_literals(pattern: str) -> frozenset[str] | None:
    """A set of strings such that every match of ``pattern`` contains at least one of them, or
    None when none is found (then nothing is skipped)."""
    try:
        # (the standard library's own regex parser: private modules, hence the import by name)
        sre = importlib.import_module("re._constants")
        sre_parse = importlib.import_module("re._parser")
        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & (sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_VERBOSE):
            return None
        return _req_sequence(list(parsed), sre)
    except Exception:  # an unknown parse tree only disables the shortcut
        return None


_MAX_STRINGS = 64


def _req_sequence(items: list[Any], sre: Any) -> frozenset[str] | None:
    """Required literals of a sequence of items: those of its most selective mandatory part. A
    run of items that each match one of a few fixed strings (literals, small classes and
    alternations of literals, optional literals) is one part: the set of its concatenations."""
    options: list[frozenset[str]] = []
    run: set[str] = {""}

    def close_run() -> None:
        if "" not in run:  # (a run that may match nothing requires nothing)
            options.append(frozenset(run))

    for op, av in items:
        alts = _alternatives(op, av, sre)
        if alts is not None:
            joined = {x + y for x in run for y in alts}
            if len(joined) <= _MAX_STRINGS:
                run = joined
                continue
            close_run()
            run = set(alts)
            continue
        close_run()
        run = {""}
        found = _req_item(op, av, sre)
        if found is not None:
            options.append(found)
    close_run()
    if not options:
        return None
    # most selective first: no ASCII string (digits, Latin letters and ASCII punctuation are
    # everywhere), longest shortest string, fewest strings
    return min(options, key=lambda o: (any(x.isascii() for x in o), -min(map(len, o)), len(o)))


def _alternatives(op: Any, av: Any, sre: Any) -> set[str] | None:
    """The few fixed strings an item matches exactly (None: not such an item)."""
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN:
        chars = _class_chars(av, sre)
        return set(chars) if chars is not None else None
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_VERBOSE):
            return None
        return _alternatives_of_sequence(list(sub), sre)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _alternatives_of_sequence(list(branch), sre)
            if found is None:
                return None
            union |= found
        return union if len(union) <= _MAX_STRINGS else None
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, sub = av
        if high != 1:
            return None
        found = _alternatives_of_sequence(list(sub), sre)
        if found is None:
            return None
        return found | {""} if low == 0 else found
    return None


def _alternatives_of_sequence(items: list[Any], sre: Any) -> set[str] | None:
    out = {""}
    for op, av in items:
        alts = _alternatives(op, av, sre)
        if alts is None:
            return None
        out = {x + y for x in out for y in alts}
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _class_chars(av: Any, sre: Any) -> frozenset[str] | None:
    """The characters of a small, positive character class (None for others)."""
    chars: set[str] = set()
    for cop, cav in av:
        if cop is sre.LITERAL:
            chars.add(chr(cav))
        elif cop is sre.RANGE and cav[1] - cav[0] < _MAX_CLASS_CHARS:
            chars.update(chr(c) for c in range(cav[0], cav[1] + 1))
        else:  # NEGATE, CATEGORY, large ranges
            return None
    return frozenset(chars) if 0 < len(chars) <= _MAX_CLASS_CHARS else None


def _req_item(op: Any, av: Any, sre: Any) -> frozenset[str] | None:
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & (sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_VERBOSE):
            return None
        return _req_sequence(list(sub), sre)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _req_sequence(list(branch), sre)
            if found is None:
                return None  # one alternative needs no literal: the whole branch needs none
            union |= found
        return frozenset(union)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _high, sub = av
        return _req_sequence(list(sub), sre) if low >= 1 else None
    if op is sre.ASSERT:  # a positive lookaround: its text is in the paragraph too
        return _req_sequence(list(av[1]), sre)
    return None  # anchors, ., \s, negative lookarounds, ...: no literal needed
