"""State machines: the one pattern every status field follows (docs/architecture.md).

A status field changes only in its machine's one transition function, in the app's
``services.py``, which:

1. locks the row (``select_for_update``) inside ``transaction.atomic``;
2. checks the move with ``MACHINE.check(current, target)`` (raises the app's ``DomainError``
   with a French message naming both states);
3. checks the actor's right (the app's ``permissions.py``);
4. saves, then writes a history row — a model deriving from ``TransitionRecord``;
5. notifies after commit (``queue_email`` is already on-commit).

Templates and the API never hold a copy of the moves: they call the app's
``allowed_moves(obj, user)``, which is ``MACHINE.moves_from(obj.status)`` filtered by the
actor's rights.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from .errors import DomainError


@dataclass(frozen=True)
class Machine:
    """The allowed moves of one status field: ``{from: {to, …}}`` over a ``TextChoices``."""

    states: type[models.TextChoices]
    moves: dict
    error: type[DomainError] = DomainError
    noun: str = ""  # "Ce lot", "Cette demande"… ; default "Cet élément"

    def moves_from(self, status) -> list:
        """The states reachable from ``status``, in the order of the enum."""
        targets = self.moves.get(status, set())
        return [s for s in self.states if s in targets]

    def can(self, current, target) -> bool:
        return target in self.moves.get(current, set())

    def label(self, status) -> str:
        return str(self.states(status).label) if status in self.states.values else str(status)

    def check(self, current, target) -> None:
        if target not in self.states.values:
            raise self.error(_("État inconnu : « %(target)s ».") % {"target": target})
        if not self.can(current, target):
            raise self.error(
                _("%(noun)s est « %(current)s » et ne peut pas passer à « %(target)s ».")
                % {
                    "noun": self.noun or _("Cet élément"),
                    "current": self.label(current),
                    "target": self.label(target),
                }
            )


class TransitionRecord(models.Model):
    """One status change: who, when, from, to, why. Each machine's history model derives
    from it and adds the foreign key to its subject (or a subject kind and id)."""

    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @staticmethod
    def actor_or_none(actor):
        """The signed-in actor, or None for the system and anonymous visitors."""
        return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
