"""The self-diagnostic: questionnaires as versioned data, responses, answers and scores.

Keys (axis, question, option, rule) are stable across versions: comparisons, before/after
and recommendation rules are expressed with them, never with database ids.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ressourcerie.core.models import Department, Organisation, TimeStampedModel
from ressourcerie.core.models.organisations import MembersBand, Sector
from ressourcerie.core.workflow import Machine, TransitionRecord

from ..errors import DiagnosticError


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


# The life of a version: staff publish a draft; publishing one archives the version published
# until then. Changed only by ``services.transition_questionnaire``.
QUESTIONNAIRE_MACHINE = Machine(
    states=QuestionnaireStatus,
    moves={
        QuestionnaireStatus.DRAFT: {QuestionnaireStatus.PUBLISHED},
        QuestionnaireStatus.PUBLISHED: {QuestionnaireStatus.ARCHIVED},
    },
    error=DiagnosticError,
    noun=_("Cette version du questionnaire"),
)


class Questionnaire(TimeStampedModel):
    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=QuestionnaireStatus.choices,
        default=QuestionnaireStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    priority_below = models.PositiveSmallIntegerField(
        _("priorité sous"),
        default=60,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Un thème dont le score est inférieur à ce seuil est une priorité (les trois plus "
            "faibles au plus). Aucun thème sous ce seuil : aucune priorité."
        ),
    )
    strength_from = models.PositiveSmallIntegerField(
        _("point fort à partir de"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("Un thème dont le score atteint ce seuil est un point fort (trois au plus)."),
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("questionnaire")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strength_from__lte=100)
                & models.Q(priority_below__lte=models.F("strength_from")),
                name="diagnostic_questionnaire_thresholds",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="diagnostic_one_published_questionnaire",
            ),
        ]

    def __str__(self):
        return str(
            _("%(title)s (version %(version)s)") % {"title": self.title, "version": self.version}
        )

    @property
    def is_draft(self):
        return self.status == QuestionnaireStatus.DRAFT


class QuestionnaireTransition(TransitionRecord):
    """One change of a questionnaire version's status (who, when, from, to, why)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="transitions"
    )

    class Meta(TransitionRecord.Meta):
        verbose_name = _("changement de statut d'une version")
        verbose_name_plural = _("changements de statut des versions")


class Axis(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="axes",
        verbose_name=_("questionnaire"),
    )
    key = models.SlugField(_("clé"), max_length=60)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = _("axe")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="diagnostic_axis_key")
        ]

    def __str__(self):
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Choix unique")
    MULTIPLE = "multiple", _("Choix multiple")
    SCALE = "scale", _("Échelle")


class Question(models.Model):
    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, related_name="questions", verbose_name=_("axe")
    )
    key = models.SlugField(_("clé"), max_length=60)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("aide"), blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    required = models.BooleanField(_("réponse obligatoire"), default=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    scale_min = models.SmallIntegerField(_("minimum de l'échelle"), default=1)
    scale_max = models.SmallIntegerField(_("maximum de l'échelle"), default=5)
    scale_min_label = models.CharField(_("libellé du minimum"), max_length=80, blank=True)
    scale_max_label = models.CharField(_("libellé du maximum"), max_length=80, blank=True)
    condition_question = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependent_questions",
        verbose_name=_("affichée seulement selon la question"),
    )
    condition_options = models.ManyToManyField(
        "Option",
        blank=True,
        related_name="+",
        verbose_name=_("si la réponse contient l'un de ces choix"),
    )

    class Meta:
        ordering = ["axis__order", "order", "id"]
        verbose_name = _("question")
        constraints = [
            models.UniqueConstraint(fields=["axis", "key"], name="diagnostic_question_key"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="diagnostic_question_scale_bounds",
            ),
        ]

    def __str__(self):
        return self.text


class Option(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    key = models.SlugField(_("clé"), max_length=60)
    label = models.CharField(_("libellé"), max_length=200)
    score = models.PositiveSmallIntegerField(
        _("points"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "De 0 à 100. Pour un choix multiple, les points des choix s'additionnent (100 au plus)."
        ),
    )
    is_unknown = models.BooleanField(
        _("« je ne sais pas »"),
        default=False,
        help_text=_("Compte 0 point, mais est signalé à part dans les résultats."),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="diagnostic_option_key"),
            models.CheckConstraint(
                condition=models.Q(score__lte=100), name="diagnostic_option_score_max"
            ),
        ]

    def __str__(self):
        return self.label


class RuleTrigger(models.TextChoices):
    AXIS_BELOW = "axis_below", _("Score d'un axe inférieur à un seuil")
    ANSWER_IS = "answer_is", _("Réponse donnée à une question")


class RecommendationRule(models.Model):
    """When the trigger holds, recommend: the rule's own advice, and what providers find for
    its need / support / guide / testimonial / event codes."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("questionnaire"),
    )
    key = models.SlugField(_("clé"), max_length=60)
    trigger = models.CharField(_("déclencheur"), max_length=12, choices=RuleTrigger.choices)
    axis = models.ForeignKey(
        Axis,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("axe"),
    )
    threshold = models.PositiveSmallIntegerField(_("seuil"), null=True, blank=True)
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("question"),
    )
    option = models.ForeignKey(
        Option,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("choix"),
    )
    advice_title = models.CharField(_("titre du conseil"), max_length=200, blank=True)
    advice_text = models.TextField(_("conseil"), blank=True)
    advice_url = models.URLField(_("lien du conseil"), blank=True)
    need_slug = models.SlugField(_("besoin de la boîte à outils"), max_length=80, blank=True)
    support_code = models.SlugField(
        _("type d'accompagnement (annuaire)"), max_length=80, blank=True
    )
    guide_slug = models.SlugField(_("guide"), max_length=80, blank=True)
    testimonial_topic = models.SlugField(_("thème de témoignage"), max_length=80, blank=True)
    event_topic = models.SlugField(_("thème d'événement"), max_length=80, blank=True)
    # The action the rule proposes (#14): effort and a cost rank (1 = cheapest) rank the plan.
    effort_time = models.CharField(_("temps nécessaire"), max_length=120, blank=True)
    effort_money = models.CharField(_("coût"), max_length=120, blank=True)
    effort_skills = models.CharField(_("compétences nécessaires"), max_length=120, blank=True)
    cost_rank = models.PositiveSmallIntegerField(
        _("rang de coût"), default=2, help_text=_("1 = le moins coûteux en temps et en argent.")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = _("règle de recommandation")
        verbose_name_plural = _("règles de recommandation")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="diagnostic_rule_key"),
            models.CheckConstraint(
                condition=(
                    models.Q(trigger="axis_below", axis__isnull=False, threshold__isnull=False)
                    | models.Q(trigger="answer_is", question__isnull=False, option__isnull=False)
                ),
                name="diagnostic_rule_trigger_complete",
            ),
        ]

    def __str__(self):
        return self.advice_title or self.key


class DiagnosticResponse(TimeStampedModel):
    """One taking of the questionnaire. The resume token is random; only its SHA-256 is kept."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="diagnostic_responses",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="diagnostic_responses",
        verbose_name=_("association"),
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retakes",
        verbose_name=_("diagnostic précédent"),
    )
    members_band = models.CharField(
        _("nombre de membres"), max_length=10, choices=MembersBand.choices, blank=True
    )
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("département")
    )
    current_step = models.PositiveSmallIntegerField(default=1)
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    overall_score = models.PositiveSmallIntegerField(_("score global"), null=True, blank=True)
    # The optional last question (#14), in the person's own words: personal data (exported,
    # blanked on erasure, deleted with the response).
    problem_text = models.CharField(
        _("principal problème avec le numérique"), max_length=500, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("diagnostic")
        indexes = [models.Index(fields=["completed_at"])]

    def __str__(self):
        return str(_("Diagnostic n° %(id)s") % {"id": self.pk})

    @property
    def is_completed(self):
        return self.completed_at is not None


class Answer(models.Model):
    response = models.ForeignKey(
        DiagnosticResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    options = models.ManyToManyField(Option, blank=True, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("réponse")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="diagnostic_one_answer")
        ]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"


class AxisScore(models.Model):
    """Written when a response is completed, so aggregates are plain SQL on both engines."""

    response = models.ForeignKey(
        DiagnosticResponse, on_delete=models.CASCADE, related_name="axis_scores"
    )
    axis = models.ForeignKey(Axis, on_delete=models.PROTECT, related_name="+")
    axis_key = models.SlugField(max_length=60)
    score = models.PositiveSmallIntegerField()
    unknown_count = models.PositiveSmallIntegerField(default=0)
    is_priority = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "axis_key"], name="diagnostic_one_axis_score"
            )
        ]
        indexes = [models.Index(fields=["axis_key"])]

    def __str__(self):
        return f"{self.axis_key}: {self.score}"


from .plans import PLAN_MACHINE, PlanAction, PlanActionTransition, PlanStatus  # noqa: E402

__all__ = [
    "PLAN_MACHINE",
    "QUESTIONNAIRE_MACHINE",
    "Answer",
    "Axis",
    "AxisScore",
    "DiagnosticResponse",
    "Option",
    "PlanAction",
    "PlanActionTransition",
    "PlanStatus",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireStatus",
    "QuestionnaireTransition",
    "RecommendationRule",
    "RuleTrigger",
]
