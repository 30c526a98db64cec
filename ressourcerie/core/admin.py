from django.contrib import admin

from .models import (
    Commune,
    Department,
    ModerationTransition,
    Organisation,
    OrganisationCorrection,
    Region,
    SearchSynonym,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "verified_at"]
    list_filter = ["kind", "sector"]
    search_fields = ["name", "rna", "siret"]
    autocomplete_fields = ["commune"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee", "department", "postal_codes"]
    search_fields = ["name", "insee", "postal_codes"]
    list_filter = ["department__region"]


admin.site.register(Region)
admin.site.register(Department)
admin.site.register(SearchSynonym, list_display=["term", "synonyms"], search_fields=["term"])
admin.site.register(
    ModerationTransition,
    list_display=["content_type", "object_id", "from_status", "to_status", "actor", "created_at"],
)


@admin.register(OrganisationCorrection)
class OrganisationCorrectionAdmin(admin.ModelAdmin):
    """Read-only here: decisions go through the moderation queue (history, e-mails)."""

    list_display = ["organisation", "moderation_status", "submitted_by", "created_at"]
    list_filter = ["moderation_status"]
    readonly_fields = [
        "organisation",
        "message",
        "moderation_status",
        "submitted_by",
        "submitted_at",
        "moderation_reason",
        "published_at",
    ]

    def has_add_permission(self, request):
        return False
