"""The portal registry: every module of this package that defines ``PORTAL`` (or ``PORTALS``)
registers its definitions. Adding a portal is adding one module."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from newscrawler.portals.base import ArticleSelectors, PortalDefinition, Section

__all__ = [
    "ArticleSelectors",
    "PortalDefinition",
    "Section",
    "UnknownPortal",
    "all_portals",
    "get_portal",
    "portal_for_url",
]


class UnknownPortal(KeyError):
    """Raised for a portal name that no definition has."""

    def __str__(self) -> str:
        known = ", ".join(sorted(all_portals())) or "none"
        return f"unknown portal {self.args[0]!r} (known portals: {known})"


@cache
def all_portals() -> dict[str, PortalDefinition]:
    """Every registered portal, by name."""
    found: dict[str, PortalDefinition] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in {"base"}:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        defs = list(getattr(module, "PORTALS", ()))
        if isinstance(getattr(module, "PORTAL", None), PortalDefinition):
            defs.append(module.PORTAL)
        for portal in defs:
            if portal.name in found:
                raise ValueError(f"portal {portal.name!r} is defined twice")
            found[portal.name] = portal
    return found


def get_portal(name: str) -> PortalDefinition:
    """The portal called ``name``; raises :class:`UnknownPortal`."""
    try:
        return all_portals()[name]
    except KeyError:
        raise UnknownPortal(name) from None


def portal_for_url(url: str) -> PortalDefinition | None:
    """The registered portal that owns ``url``'s host, if any."""
    for portal in all_portals().values():
        if portal.owns_url(url):
            return portal
    return None
