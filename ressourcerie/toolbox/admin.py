from django import forms
from django.contrib import admin

from ressourcerie.core.images import DEFAULT_FORMATS, reencode_image

from .models import Guide, GuideImage, Need, Replacement, Tool, ToolCorrection

# Logos and illustrations often come as GIF from the tools' own sites.
ADMIN_IMAGE_FORMATS = DEFAULT_FORMATS | {"GIF"}


class ReplacementInline(admin.TabularInline):
    model = Replacement
    fk_name = "tool"
    extra = 0
    autocomplete_fields = ["replaced"]


class ToolAdminForm(forms.ModelForm):
    class Meta:
        model = Tool
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin chooses the fields shown

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return reencode_image(
                logo,
                max_side=256,
                name=self.instance.slug or "logo",
                formats=ADMIN_IMAGE_FORMATS,
            )
        return logo


class GuideImageForm(forms.ModelForm):
    class Meta:
        model = GuideImage
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin chooses the fields shown

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            return reencode_image(image, max_side=1600, name="guide", formats=ADMIN_IMAGE_FORMATS)
        return image


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    form = ToolAdminForm
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
    form = GuideImageForm
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
