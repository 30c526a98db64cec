from django.contrib import admin

from .models import Event, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "organiser", "starts_at", "publication", "status"]
    list_filter = ["publication", "status", "kind"]
    search_fields = ["title"]
    raw_id_fields = ["organiser", "place", "commune", "created_by"]
    readonly_fields = ["publication", "status", "sequence"]
    inlines = [SessionInline]
