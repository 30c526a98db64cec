"""« Mon plan d'action » (#14): the plan of an association's latest completed diagnostic, kept
so that its members can follow it together (each action marked "fait", "en cours" or "pas pour
nous", with the date and who) and the next diagnostic can show what moved.

One row per association and action key (a rule's stable key): a retake updates the rows of the
actions it proposes again (their status stays) and leaves out of the current plan the others
(kept with their status and history, ``current=False``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Organisation, TimeStampedModel
from ressourcerie.core.workflow import Machine, TransitionRecord

from ..errors import DiagnosticError


class PlanStatus(models.TextChoices):
    TODO = "todo", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Fait")
    NOT_FOR_US = "not_for_us", _("Pas pour nous")


# Members move an action freely between the four statuses (a mistake is undone the same way);
# changed only by ``services.mark_plan_action``.
PLAN_MACHINE = Machine(
    states=PlanStatus,
    moves={status: {other for other in PlanStatus if other != status} for status in PlanStatus},
    error=DiagnosticError,
    noun=_("Cette action"),
)


class PlanAction(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="diagnostic_plan_actions",
        verbose_name=_("association"),
    )
    # The completed diagnostic whose plan proposed the action last.
    response = models.ForeignKey(
        "diagnostic.DiagnosticResponse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
        verbose_name=_("diagnostic"),
    )
    key = models.SlugField(_("clé de l'action"), max_length=60)
    axis_key = models.SlugField(_("clé du thème"), max_length=60)
    axis_name = models.CharField(_("thème"), max_length=200)
    title = models.CharField(_("action"), max_length=200)
    effort_time = models.CharField(_("temps nécessaire"), max_length=120, blank=True)
    effort_money = models.CharField(_("coût"), max_length=120, blank=True)
    effort_skills = models.CharField(_("compétences nécessaires"), max_length=120, blank=True)
    rank = models.PositiveSmallIntegerField(_("rang dans le plan"), default=1)
    starter = models.BooleanField(_("pour commencer"), default=False)
    current = models.BooleanField(_("dans le plan actuel"), default=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.TODO
    )
    status_changed_at = models.DateTimeField(_("statut changé le"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("statut changé par"),
    )

    class Meta:
        ordering = ["organisation", "-current", "rank", "pk"]
        verbose_name = _("action du plan d'une association")
        verbose_name_plural = _("actions des plans des associations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="diagnostic_plan_action_key"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values),
                name="diagnostic_plan_action_status",
            ),
        ]

    def __str__(self):
        return self.title


class PlanActionTransition(TransitionRecord):
    """One change of a kept action's status (who, when, from, to)."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = _("changement de statut d'une action du plan")
        verbose_name_plural = _("changements de statut des actions du plan")
