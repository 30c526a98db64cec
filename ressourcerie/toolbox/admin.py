from django.contrib import admin

from .models import Guide, GuideImage, Need, Replacement, Tool, ToolCorrection


class ReplacementInline(admin.TabularInline):
    model = Replacement
    fk_name = "tool"
    extra = 0
    autocomplete_fields = ["replaced"]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "licence",
        "is_free_software",
        "price",
        "moderation_status",
        "verified_on",
    ]
    list_filter = ["moderation_status", "is_free_software", "price", "proprietary_reference"]
    search_fields = ["name", "slug", "keywords"]
    filter_horizontal = ["needs"]
    inlines = [ReplacementInline]
    readonly_fields = ["moderation_status", "submitted_by", "submitted_at", "published_at"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position"]
    search_fields = ["name"]


class GuideImageInline(admin.TabularInline):
    model = GuideImage
    extra = 0


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "moderation_status", "updated_at"]
    filter_horizontal = ["tools", "needs"]
    inlines = [GuideImageInline]
    readonly_fields = ["moderation_status", "submitted_by", "submitted_at", "published_at"]


admin.site.register(
    ToolCorrection, list_display=["tool", "field", "moderation_status", "created_at"]
)
