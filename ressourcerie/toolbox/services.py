"""Writes of the toolbox: proposals and corrections go through the moderation queue."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ressourcerie.core import moderation, search

from .models import Tool, ToolCorrection, pack


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "outil"
    slug, n = base, 2
    while Tool.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def propose_tool(*, form, user) -> Tool:
    """Save a proposed tool, hidden until a moderator publishes it."""
    tool = form.save(commit=False)
    tool.slug = _unique_slug(tool.name)
    tool.hosting = pack(form.cleaned_data.get("hosting_choices") or [])
    tool.platforms = pack(form.cleaned_data.get("platform_choices") or [])
    tool.languages = pack(["fr"])
    moderation.submit(obj=tool, by=user)  # saves it, hidden until published
    tool.needs.set(form.cleaned_data["needs"])
    return tool


@transaction.atomic
def propose_correction(*, tool, user, field, proposed_value, source="", **_ignored):
    """Record a correction for staff to review and apply by hand."""
    correction = ToolCorrection(
        tool=tool, field=field, proposed_value=proposed_value, source=source
    )
    return moderation.submit(obj=correction, by=user)


@transaction.atomic
def mark_tool_verified(*, tool, user) -> Tool:
    """Staff checked the entry against its sources today."""
    tool.verified_on = timezone.localdate()
    tool.save(update_fields=["verified_on", "updated_at"])
    search.index_object(tool)
    return tool


def delete_corrections_by(*, user) -> int:
    """Erasure of an account: the corrections it wrote go (staff applied the accepted ones)."""
    deleted, _rows = ToolCorrection.objects.filter(submitted_by=user).delete()
    return deleted
