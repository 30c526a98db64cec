"""Staff edit a draft questionnaire here; published and archived versions are read-only
(answers keep the version they were given on).

Read-only means every way in: changing or deleting an object of a non-draft version, adding
one to it through an inline, and pointing a new or changed question or rule at it (the
choices offer draft versions only, and a posted id of another version is refused).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Axis, Option, Question, Questionnaire, QuestionnaireStatus, RecommendationRule

NOT_A_DRAFT = _(
    "Ce questionnaire est publié ou archivé : créez une nouvelle version pour le modifier "
    "(Gestion › Autodiagnostic › Versions du questionnaire)."
)
OTHER_VERSION = _("Ce choix appartient à une autre version du questionnaire.")


def draft_axes():
    return Axis.objects.filter(questionnaire__status=QuestionnaireStatus.DRAFT).select_related(
        "questionnaire"
    )


def draft_questionnaires():
    return Questionnaire.objects.filter(status=QuestionnaireStatus.DRAFT)


class DraftOnlyMixin:
    def has_change_permission(self, request, obj=None):
        questionnaire = self.questionnaire_for(obj)
        if questionnaire is not None and not questionnaire.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        questionnaire = self.questionnaire_for(obj)
        if questionnaire is not None and not questionnaire.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def questionnaire_for(self, obj):
        return None


class DraftOnlyInlineMixin:
    """An inline adds, changes or deletes nothing under a published or archived version
    (``obj`` is the parent being edited, None on an add page)."""

    def _parent_is_draft(self, obj):
        questionnaire = self.questionnaire_for(obj)
        return questionnaire is None or questionnaire.is_draft

    def has_add_permission(self, request, obj=None):
        return self._parent_is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_is_draft(obj) and super().has_delete_permission(request, obj)


class AxisInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = Axis
    extra = 0
    fields = ["order", "key", "name", "description"]

    def questionnaire_for(self, obj):
        return obj


@admin.register(Questionnaire)
class QuestionnaireAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["version", "title", "status", "published_at"]
    readonly_fields = ["status", "published_at"]
    inlines = [AxisInline]

    def questionnaire_for(self, obj):
        return obj


class OptionInline(DraftOnlyInlineMixin, admin.TabularInline):
    model = Option
    extra = 0
    fields = ["order", "key", "label", "score", "is_unknown"]

    def questionnaire_for(self, obj):
        return obj.axis.questionnaire if obj else None


class QuestionAdminForm(forms.ModelForm):
    """The admin builds the fields (``ModelAdmin.get_form``); this narrows and checks them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        axis = self.fields.get("axis")
        if axis is not None:
            # Only axes of drafts: a question cannot be added to, or moved into, a published
            # or archived version.
            axis.queryset = draft_axes()
            axis.error_messages["invalid_choice"] = NOT_A_DRAFT

    def clean(self):
        cleaned = super().clean()
        axis = cleaned.get("axis")
        condition = cleaned.get("condition_question")
        if axis is not None and condition is not None:
            if condition.axis.questionnaire_id != axis.questionnaire_id:
                self.add_error("condition_question", OTHER_VERSION)
            elif any(o.question_id != condition.pk for o in cleaned.get("condition_options", [])):
                self.add_error(
                    "condition_options",
                    _("Choisissez seulement des choix de la question dont celle-ci dépend."),
                )
        return cleaned


@admin.register(Question)
class QuestionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["text", "axis", "kind", "weight", "required", "order"]
    list_filter = ["axis__questionnaire", "kind"]
    search_fields = ["text", "key"]
    inlines = [OptionInline]
    autocomplete_fields = ["condition_question"]
    filter_horizontal = ["condition_options"]

    def questionnaire_for(self, obj):
        return obj.axis.questionnaire if obj else None


class RecommendationRuleAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questionnaire = self.fields.get("questionnaire")
        if questionnaire is not None:
            questionnaire.queryset = draft_questionnaires()
            questionnaire.error_messages["invalid_choice"] = NOT_A_DRAFT
        if "cost_rank" in self.fields:
            self.fields["cost_rank"].required = False  # left out: the model's default

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cost_rank") is None:
            cleaned["cost_rank"] = RecommendationRule._meta.get_field("cost_rank").default
        questionnaire = cleaned.get("questionnaire")
        if questionnaire is None:
            return cleaned
        # An action names its axis: an answer's rule is of its question's axis.
        question = cleaned.get("question")
        if cleaned.get("trigger") == "answer_is" and question is not None:
            if cleaned.get("axis") is None:
                cleaned["axis"] = question.axis
            elif cleaned["axis"].pk != question.axis_id:
                self.add_error("axis", _("Une règle sur une réponse est de l'axe de sa question."))
        # Raw id fields accept any id: the trigger must point into the rule's own version.
        axis, question, option = (cleaned.get(f) for f in ("axis", "question", "option"))
        if axis is not None and axis.questionnaire_id != questionnaire.pk:
            self.add_error("axis", OTHER_VERSION)
        if question is not None and question.axis.questionnaire_id != questionnaire.pk:
            self.add_error("question", OTHER_VERSION)
        if option is not None and question is not None and option.question_id != question.pk:
            self.add_error("option", _("Ce choix n'est pas une réponse à cette question."))
        elif option is not None and option.question.axis.questionnaire_id != questionnaire.pk:
            self.add_error("option", OTHER_VERSION)
        return cleaned


@admin.register(RecommendationRule)
class RecommendationRuleAdmin(DraftOnlyMixin, admin.ModelAdmin):
    form = RecommendationRuleAdminForm
    list_display = ["key", "advice_title", "trigger", "questionnaire", "order"]
    list_filter = ["questionnaire", "trigger"]
    search_fields = ["key", "advice_title"]
    raw_id_fields = ["axis", "question", "option"]

    def questionnaire_for(self, obj):
        return obj.questionnaire if obj else None
