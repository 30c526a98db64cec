from django.contrib import admin

from .models import ContactMessage, Testimonial, TestimonialImage, TestimonialTool


class ToolInline(admin.TabularInline):
    model = TestimonialTool
    extra = 0
    raw_id_fields = ["tool"]


class ImageInline(admin.TabularInline):
    model = TestimonialImage
    extra = 0
    fields = ["alt", "position", "image"]
    readonly_fields = ["image"]


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    """Read-mostly: decisions go through the moderation queue (/gestion/moderation/)."""

    list_display = ["title", "organisation", "moderation_status", "is_example", "published_at"]
    list_filter = ["moderation_status", "is_example", "sector"]
    search_fields = ["title", "organisation__name"]
    readonly_fields = ["moderation_status", "submitted_by", "submitted_at", "published_at"]
    raw_id_fields = ["organisation", "department"]
    inlines = [ToolInline, ImageInline]


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["testimonial", "sender_email", "created_at"]
    readonly_fields = ["testimonial", "sender", "sender_email", "message", "created_at"]
