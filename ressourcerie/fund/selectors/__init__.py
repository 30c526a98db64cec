"""Reads of the support fund (selectors never import services). One module per family:
``calls`` (public calls, budget), ``applications`` (dossiers, the diagnostic snapshot),
``instruction`` (reviews, committee ranking)."""

from . import applications, calls, instruction

__all__ = ["applications", "calls", "instruction"]
