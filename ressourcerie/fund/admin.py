from django.contrib import admin

from .models import Application, Call, Label, ReviewerGroup


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "opens_on", "closes_on"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status"]  # changes only through services.calls.transition_call


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "call", "status", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["reference", "organisation__name"]
    readonly_fields = [
        "status"
    ]  # changes only through services.applications.transition_application


admin.site.register(ReviewerGroup)
admin.site.register(Label)
