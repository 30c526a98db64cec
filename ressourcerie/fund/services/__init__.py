"""Writes of the support fund, one module per family: ``calls`` (the call's machine),
``applications`` (the dossier's machine, drafts, submission, documents, messages),
``instruction`` (routing, reviews, experts, committee)."""

from . import applications, calls, instruction

__all__ = ["applications", "calls", "instruction"]
