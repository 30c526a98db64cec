"""Writes of the directory (imports are in ``importers``)."""

import logging

logger = logging.getLogger("ressourcerie.directory")


def log_import(*, report, by) -> None:
    """Staff actions on data are logged: who imported which file, with what outcome."""
    logger.info("import by %s: %s", getattr(by, "pk", None), report.summary())
