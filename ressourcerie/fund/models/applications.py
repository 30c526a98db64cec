"""Applications (dossiers) to a call, their history, documents, messages and team notes.

States follow Démarches simplifiées so that exports map one to one: brouillon → déposé
(DS "en_construction") → en instruction → accepté | accepté sous conditions | refusé | sans
suite, plus "à corriger", "en attente" (the committee's waiting list) and "retiré". The
status changes only through ``services.applications.transition_application``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Organisation, TimeStampedModel
from ressourcerie.core.workflow import TransitionRecord

from ..storage import private_storage
from .calls import Call, RequestedDocument, ReviewerGroup


class ApplicationStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    SUBMITTED = "depose", _("Déposé")
    TO_CORRECT = "a_corriger", _("À corriger")
    IN_REVIEW = "en_instruction", _("En instruction")
    WAITING_LIST = "en_attente", _("En liste d'attente")
    ACCEPTED = "accepte", _("Accepté")
    ACCEPTED_WITH_CONDITIONS = "accepte_conditions", _("Accepté sous conditions")
    REFUSED = "refuse", _("Refusé")
    WITHOUT_FOLLOW_UP = "sans_suite", _("Classé sans suite")
    WITHDRAWN = "retire", _("Retiré")


# The Démarches simplifiées state each of ours maps to (exports).
DS_STATES = {
    ApplicationStatus.DRAFT: "brouillon",
    ApplicationStatus.SUBMITTED: "en_construction",
    ApplicationStatus.TO_CORRECT: "en_construction",
    ApplicationStatus.IN_REVIEW: "en_instruction",
    ApplicationStatus.WAITING_LIST: "en_instruction",
    ApplicationStatus.ACCEPTED: "accepte",
    ApplicationStatus.ACCEPTED_WITH_CONDITIONS: "accepte",
    ApplicationStatus.REFUSED: "refuse",
    ApplicationStatus.WITHOUT_FOLLOW_UP: "sans_suite",
    ApplicationStatus.WITHDRAWN: "sans_suite",
}
ACCEPTED_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.ACCEPTED_WITH_CONDITIONS)
DECIDED_STATUSES = (
    *ACCEPTED_STATUSES,
    ApplicationStatus.REFUSED,
    ApplicationStatus.WITHOUT_FOLLOW_UP,
)
# Before a decision: what the instruction team works on.
PENDING_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.TO_CORRECT,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.WAITING_LIST,
)


class SupportFormat(models.TextChoices):
    INDIVIDUAL = "individuel", _("Accompagnement individuel")
    COLLECTIVE = "collectif", _("Accompagnement collectif")


class Label(models.Model):
    """A private label the instruction team puts on applications ("pièce manquante"…)."""

    name = models.CharField(_("étiquette"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("étiquette")

    def __str__(self):
        return self.name


class Application(TimeStampedModel):
    """One association's application to one call. What the platform knows (scores, priorities,
    plan) is copied from the diagnostic into ``diagnostic_snapshot`` at submission, so the
    dossier does not change when the association retakes the diagnostic."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fund_applications"
    )
    reference = models.CharField(_("numéro de dossier"), max_length=20, unique=True)
    status = models.CharField(
        _("état"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    diagnostic = models.ForeignKey(
        "diagnostic.DiagnosticResponse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diagnostic"),
    )
    # {"completed_at": iso, "axes": [{"key", "name", "score", "priority"}], "actions":
    # [{"key", "title", "axis_key", "axis_name"}]} — see services.applications.
    diagnostic_snapshot = models.JSONField(_("diagnostic au dépôt"), default=dict, blank=True)
    project = models.TextField(_("le projet en quelques lignes"), max_length=2000, blank=True)
    support_format = models.CharField(
        _("accompagnement souhaité"), max_length=12, choices=SupportFormat.choices, blank=True
    )
    action_keys = models.JSONField(_("actions du plan choisies"), default=list, blank=True)
    days_requested = models.DecimalField(
        _("jours souhaités"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    cofunding = models.TextField(_("cofinancements"), max_length=1000, blank=True)
    checklist_ticked = models.JSONField(_("attestations cochées"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    # Routing and ranking.
    group = models.ForeignKey(
        ReviewerGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("groupe d'instruction"),
    )
    priority_points = models.PositiveSmallIntegerField(_("points de priorité"), default=0)
    labels = models.ManyToManyField(Label, blank=True, related_name="applications")
    # Decision (committee).
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    days_granted = models.DecimalField(
        _("jours accordés"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    amount_granted = models.PositiveIntegerField(_("montant accordé (€)"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), max_length=3000, blank=True)
    conditions = models.TextField(_("conditions"), max_length=3000, blank=True)
    documents_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            # One live application per association and call.
            models.UniqueConstraint(
                fields=["call", "organisation"],
                condition=~Q(status="retire"),
                name="fund_one_application_per_call",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            # The team's list is sorted newest first: its first pages read the index, no sort.
            models.Index(fields=["submitted_at", "id"], name="fund_application_list_order"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.organisation}"

    def get_absolute_url(self):
        return reverse("fund:application_detail", args=[self.reference])


class ApplicationTransition(TransitionRecord):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionRecord.Meta):
        verbose_name = _("changement d'état d'un dossier")


class ApplicationDocument(TimeStampedModel):
    """A document attached to an application, stored outside the web root
    (``FUND_DOCUMENTS_DIR``) and served only to those allowed to see the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requested = models.ForeignKey(
        RequestedDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document demandé"),
    )
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="applications/%Y/%m/")
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.original_name


class Message(TimeStampedModel):
    """The conversation between the instruction team and the association, on the application
    page, with e-mail notifications. A correction request is a message with ``correction``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_team = models.BooleanField(default=False)
    correction = models.BooleanField(_("demande de correction"), default=False)
    body = models.TextField(_("message"), max_length=5000)
    attachment = models.FileField(
        _("pièce jointe"), storage=private_storage, upload_to="messages/%Y/%m/", blank=True
    )
    attachment_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("message")

    def __str__(self):
        return f"{self.application.reference} — {self.created_at:%d/%m/%Y}"


class Annotation(TimeStampedModel):
    """A private note of the instruction team on an application (never shown to the
    association nor to experts)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="annotations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("annotation"), max_length=3000)

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("annotation privée")
        verbose_name_plural = _("annotations privées")

    def __str__(self):
        return self.body[:60]
