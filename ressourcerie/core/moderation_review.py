"""What a moderator reads before deciding, and what an author may change before resubmitting,
for every registered moderated type, inside the platform (never the Django admin).

- ``proposal_rows(obj)``: the proposal as it would be published, field by field (the
  registered ``markdown_fields`` rendered through ``core.markdown``, as the public page does);
- ``diff_rows(obj)``: for a correction or an edit, each changed field before and after —
  from ``changes``/``previous`` (a proposed edit, e.g. an organisation's or a listing's) or
  from ``field``/``proposed_value`` (a correction of one field, e.g. a tool's);
- ``author_form(obj, data)``: a form over the fields its author typed (text, choices,
  numbers, addresses), for "Modifier et renvoyer" from "Mes contributions".
"""

import re
from dataclasses import dataclass

from django import forms
from django.db import models, transaction
from django.forms import modelform_factory
from django.urls import Resolver404, resolve
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import moderation
from .markdown import render_markdown
from .models import ModerationStatus

MODERATION_FIELDS = moderation.MODERATION_FIELDS
PACKED_CODES = re.compile(r",(?:[\w-]+,)+")


def _display(obj, field) -> str:
    value = getattr(obj, field.name)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, str) and PACKED_CODES.fullmatch(value):
        # A list stored packed (",fr,en,"), as the parts store code lists: read as a list.
        return ", ".join(code for code in value.split(",") if code)
    return str(value)


def _markdown_fields(model) -> tuple[str, ...]:
    entry = moderation.moderated_type(model._meta.label_lower)
    return entry.markdown_fields if entry is not None else ()


def _rendered(value: str, is_markdown: bool) -> str:
    """The HTML the public page shows for a Markdown field ("" for plain text)."""
    return render_markdown(value) if is_markdown and value else ""


def proposal_rows(obj) -> list[tuple[str, str, str]]:
    """(label, value, html) of every filled field of the proposal, as the public would read
    it: ``html`` is the rendered Markdown of a Markdown field, "" for the others."""
    markdown = _markdown_fields(type(obj))
    rows = []
    for field in obj._meta.get_fields():
        if field.name in MODERATION_FIELDS or field.auto_created or not field.concrete:
            continue
        if isinstance(field, models.JSONField):
            continue
        if field.many_to_many:
            if obj.pk is None:
                continue
            value = ", ".join(str(o) for o in getattr(obj, field.name).all()[:50])
        else:
            value = _display(obj, field)
        if value:
            html = _rendered(value, field.name in markdown)
            rows.append((capfirst(str(field.verbose_name)), value, html))
    return rows


def _target(obj):
    """The object a correction or an edit is about: its first foreign key's object that is
    not the author."""
    for field in obj._meta.get_fields():
        if field.many_to_one and field.concrete and field.name not in MODERATION_FIELDS:
            return getattr(obj, field.name), field.related_model
    return None, None


def _label(model, name: str) -> str:
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except Exception:  # a free label (e.g. "autre") rather than a field name
        return name


@dataclass(frozen=True)
class DiffRow:
    """One changed field: its label, the values before and after, and their rendered HTML
    when the field is written in Markdown ("" otherwise)."""

    label: str
    before: str
    after: str
    before_html: str = ""
    after_html: str = ""


def _diff_row(model, name: str, before, after) -> DiffRow:
    before, after = str(before or ""), str(after or "")
    markdown = name in _markdown_fields(model)
    return DiffRow(
        _label(model, name), before, after, _rendered(before, markdown), _rendered(after, markdown)
    )


def diff_rows(obj) -> list[DiffRow]:
    """Each field a correction or an edit changes, before and after."""
    target, model = _target(obj)
    if target is None:
        return []
    changes = getattr(obj, "changes", None)
    if isinstance(changes, dict):
        previous = getattr(obj, "previous", None) or {}
        return [
            _diff_row(model, name, previous.get(name, getattr(target, name, "")), value)
            for name, value in changes.items()
        ]
    name = getattr(obj, "field", None)
    if isinstance(name, str) and hasattr(obj, "proposed_value"):
        before = getattr(target, name, "") if name in {f.name for f in model._meta.fields} else ""
        return [_diff_row(model, name, before, obj.proposed_value)]
    return []


def team_page_url(entry, obj, user) -> str:
    """The registered page about the item, unless it is the Django admin and the person has
    no staff account (a moderator is refused there)."""
    url = entry.detail_url(obj) or ""
    try:
        match = resolve(url.split("?")[0]) if url.startswith("/") else None
    except Resolver404:
        return url
    if match is not None and match.namespace == "admin" and not user.is_staff:
        return moderation.public_url_of(entry, obj)
    return url


def author_form(obj, data=None) -> forms.ModelForm | None:
    """A form over what the author typed, or None when the proposal has nothing to edit
    here (an edit stored as a set of changes is proposed again from its page)."""
    names = moderation.typed_fields(type(obj))
    if not names:
        return None
    form_class = modelform_factory(type(obj), fields=names)
    return form_class(data, instance=obj)


can_edit = moderation.can_edit


def resubmit(*, form, user):
    """Save the author's changes and put the proposal back in the queue, in one transaction."""
    if not can_edit(user, form.instance):
        raise moderation.ModerationError(_("Cette proposition ne peut plus être modifiée."))
    with transaction.atomic():
        obj = form.save()
        moderation.transition(obj=obj, to_status=ModerationStatus.SUBMITTED, actor=user)
    return obj
