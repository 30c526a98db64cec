from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, Invitation, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "email_confirmed_at", "date_joined"]
    search_fields = ["email", "display_name"]
    list_filter = ["is_staff", "is_active"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "display_name", "password"]}),
        ("Statut", {"fields": ["is_active", "is_staff", "is_superuser", "email_confirmed_at"]}),
        ("Permissions", {"fields": ["groups", "user_permissions"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "password1", "password2"]})]


admin.site.register(Invitation)
admin.site.register(ApiToken, list_display=["name", "user", "prefix", "last_used_at", "revoked_at"])
