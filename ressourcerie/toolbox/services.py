"""Writes of the toolbox: proposals and corrections go through the moderation queue."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ressourcerie.core import moderation, search
from ressourcerie.core.models import ModerationStatus, ModerationTransition

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


# The history row of an entry the catalogue file publishes (no person acted).
IMPORT_REASON = "Publié par l'import du catalogue (manage.py import_tools)."


@transaction.atomic
def publish_imported(*, obj):
    """A new tool or guide of the catalogue file, published at once, with the history row the
    moderation queue writes for every publication (from nothing to published, no actor)."""
    obj.moderation_status = ModerationStatus.PUBLISHED
    obj.published_at = timezone.now()
    obj.save()
    ModerationTransition.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        from_status="",
        to_status=ModerationStatus.PUBLISHED,
        actor=None,
        reason=IMPORT_REASON,
    )
    return obj


def delete_corrections_by(*, user) -> int:
    """Erasure of an account: the corrections it wrote go (staff applied the accepted ones)."""
    deleted, _rows = ToolCorrection.objects.filter(submitted_by=user).delete()
    return deleted
