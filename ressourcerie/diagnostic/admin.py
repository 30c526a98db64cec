"""Staff edit a draft questionnaire here; published and archived versions are read-only
(answers keep the version they were given on)."""

from django.contrib import admin

from .models import Axis, Option, Question, Questionnaire, RecommendationRule


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


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0
    fields = ["order", "key", "name", "description"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["version", "title", "status", "published_at"]
    readonly_fields = ["status", "published_at"]
    inlines = [AxisInline]

    def questionnaire_for(self, obj):
        return obj


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["order", "key", "label", "score", "is_unknown"]


@admin.register(Question)
class QuestionAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["text", "axis", "kind", "weight", "required", "order"]
    list_filter = ["axis__questionnaire", "kind"]
    search_fields = ["text", "key"]
    inlines = [OptionInline]
    autocomplete_fields = ["condition_question"]
    filter_horizontal = ["condition_options"]

    def questionnaire_for(self, obj):
        return obj.axis.questionnaire if obj else None


@admin.register(RecommendationRule)
class RecommendationRuleAdmin(DraftOnlyMixin, admin.ModelAdmin):
    list_display = ["key", "advice_title", "trigger", "questionnaire", "order"]
    list_filter = ["questionnaire", "trigger"]
    search_fields = ["key", "advice_title"]
    raw_id_fields = ["axis", "question", "option"]

    def questionnaire_for(self, obj):
        return obj.questionnaire if obj else None
