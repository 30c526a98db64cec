"""E-mails of the support fund, rebuilt by the worker from ids (see core.emails). One module
per family; importing this package registers every purpose."""

from . import applications, applying, instruction, support, support_results

__all__ = ["applications", "applying", "instruction", "support", "support_results"]
