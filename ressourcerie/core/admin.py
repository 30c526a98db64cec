from django.contrib import admin

from .models import Commune, Department, ModerationTransition, Organisation, Region, SearchSynonym


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
