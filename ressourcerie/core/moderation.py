"""The one moderation queue for everything the public submits.

An app makes a model moderated by inheriting ``core.models.Moderated`` and registering it in
its ``AppConfig.ready``::

    register_moderated(Testimony, label=_("Témoignage"), detail_url=lambda t: t.get_absolute_url())

``markdown_fields`` names the fields written in Markdown: the review page renders them through
``core.markdown`` as the public page does (and a correction of such a field on another
registered type, e.g. a tool's description, too).

Then ``submit(obj=..., by=...)`` puts an item in the queue and ``transition(...)`` is the only
place its ``moderation_status`` ever changes: it checks the transition is allowed, writes the
history row, and e-mails the submitter on every team decision.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import emails
from .errors import DomainError
from .models import ModerationStatus, ModerationTransition
from .permissions import can_moderate
from .services import queue_email

S = ModerationStatus

# Decisions only the platform team takes; each one is e-mailed to the submitter.
TEAM_DECISIONS = {S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED}
REASON_REQUIRED = {S.CHANGES_REQUESTED, S.REJECTED}

ALLOWED: dict[str, set[str]] = {
    S.SUBMITTED: {S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED, S.WITHDRAWN},
    S.CHANGES_REQUESTED: {S.SUBMITTED, S.WITHDRAWN},
    S.PUBLISHED: {S.SUBMITTED, S.WITHDRAWN},
    S.REJECTED: {S.WITHDRAWN},
    S.WITHDRAWN: set(),
}

DECISION_SUBJECTS = {
    S.PUBLISHED: _("Votre contribution est publiée"),
    S.CHANGES_REQUESTED: _("Votre contribution : des modifications sont demandées"),
    S.REJECTED: _("Votre contribution n'a pas été retenue"),
}


class ModerationError(DomainError):
    """A refused moderation action; ``message`` is French and can be shown as is."""


@dataclass(frozen=True)
class ModeratedType:
    model: type[models.Model]
    label: str
    detail_url: Callable[[models.Model], str]
    notify_template: str = "moderation_decision"
    summary: Callable[[models.Model], str] = str
    # Called inside the transition's transaction once the item is published, whoever
    # publishes it (queue or service): e.g. apply a proposed edit to the object it changes.
    on_published: Callable[..., None] | None = None
    # The page its author can open ("" when none). ``detail_url`` is the team's page (the
    # admin for a proposed tool); by default the object's own page once published.
    public_url: Callable[[models.Model], str] | None = None
    # Called inside the transition's transaction once its author (or the team) withdraws it:
    # e.g. delete the files it brought.
    on_withdrawn: Callable[..., None] | None = None
    # Fields written in Markdown: the review page renders them as the public page would.
    markdown_fields: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.model._meta.label_lower


_registry: dict[str, ModeratedType] = {}


def register_moderated(
    model,
    *,
    label,
    detail_url: Callable,
    notify_template: str = "moderation_decision",
    summary: Callable = str,
    on_published: Callable | None = None,
    public_url: Callable | None = None,
    on_withdrawn: Callable | None = None,
    markdown_fields: tuple[str, ...] = (),
) -> None:
    entry = ModeratedType(
        model=model,
        label=label,
        detail_url=detail_url,
        notify_template=notify_template,
        summary=summary,
        on_published=on_published,
        public_url=public_url,
        on_withdrawn=on_withdrawn,
        markdown_fields=tuple(markdown_fields),
    )
    _registry[entry.key] = entry


def registered_types() -> list[ModeratedType]:
    return sorted(_registry.values(), key=lambda t: str(t.label))


def moderated_type(key: str) -> ModeratedType | None:
    return _registry.get(key)


def type_of(obj) -> ModeratedType:
    entry = _registry.get(obj._meta.label_lower)
    if entry is None:
        raise LookupError(f"{obj._meta.label} is not registered with register_moderated")
    return entry


def public_url_of(entry: ModeratedType, obj) -> str:
    """What the author of ``obj`` can open: the registered public page, else the object's
    own page once published, else ""."""
    if entry.public_url is not None:
        return entry.public_url(obj) or ""
    if obj.moderation_status == S.PUBLISHED and hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    return ""


# What an author may take back from "Mes contributions": what the team has not published.
# (A published item is withdrawn from its own page, where the consequences are spelt out.)
WITHDRAWABLE_BY_AUTHOR = {S.SUBMITTED, S.CHANGES_REQUESTED}


def can_withdraw(user, obj) -> bool:
    return _is_author(user, obj) and obj.moderation_status in WITHDRAWABLE_BY_AUTHOR


def _is_author(actor, obj) -> bool:
    return actor is not None and actor.pk is not None and actor.pk == obj.submitted_by_id


def _record(*, obj, from_status: str, to_status: str, actor, reason: str) -> ModerationTransition:
    return ModerationTransition.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.pk else None,
        reason=reason,
    )


def submit(*, obj, by):
    """Put ``obj`` in the queue: first submission of a new item, or resubmission after edits."""
    type_of(obj)  # refuse unregistered models early
    if obj.pk is None:
        with transaction.atomic():
            obj.moderation_status = S.SUBMITTED
            obj.submitted_by = by
            obj.submitted_at = timezone.now()
            obj.save()
            _record(obj=obj, from_status="", to_status=S.SUBMITTED, actor=by, reason="")
        return obj
    return transition(obj=obj, to_status=S.SUBMITTED, actor=by)


def transition(*, obj, to_status, actor, reason: str = ""):
    """The only way a moderation status changes: checked, recorded, notified."""
    entry = type_of(obj)
    to_status = S(to_status)
    reason = (reason or "").strip()
    with transaction.atomic():
        # Lock the row so two moderators deciding at once cannot both apply.
        current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        from_status = current.moderation_status
        if to_status not in ALLOWED.get(from_status, set()):
            raise ModerationError(
                _("Impossible de passer de « %(from)s » à « %(to)s ».")
                % {"from": S(from_status).label, "to": to_status.label}
            )
        if to_status in TEAM_DECISIONS:
            if not can_moderate(actor):
                raise ModerationError(
                    _("Seule l'équipe de modération peut prendre cette décision.")
                )
        elif not (_is_author(actor, current) or can_moderate(actor)):
            raise ModerationError(_("Seul l'auteur ou l'équipe de modération peut faire cela."))
        if to_status in REASON_REQUIRED and not reason:
            raise ModerationError(_("Indiquez un motif : il sera envoyé à l'auteur."))

        now = timezone.now()
        obj.moderation_status = to_status
        fields = ["moderation_status"]
        if to_status == S.SUBMITTED:
            obj.submitted_at = now
            fields.append("submitted_at")
        if to_status == S.PUBLISHED:
            obj.published_at = now
            fields.append("published_at")
        if to_status in TEAM_DECISIONS:
            obj.moderation_reason = reason
            fields.append("moderation_reason")
        if hasattr(obj, "updated_at"):
            fields.append("updated_at")
        obj.save(update_fields=fields)
        record = _record(
            obj=obj, from_status=from_status, to_status=to_status, actor=actor, reason=reason
        )
        if to_status == S.PUBLISHED and entry.on_published is not None:
            entry.on_published(obj=obj, actor=actor)
        if to_status == S.WITHDRAWN and entry.on_withdrawn is not None:
            entry.on_withdrawn(obj=obj, actor=actor)

        submitter = current.submitted_by
        if to_status in TEAM_DECISIONS and submitter is not None and submitter.email:
            # The decision is rebuilt from its history row when the worker sends.
            queue_email(purpose="core.moderation_decision", ids={"transition": record.pk})
    return obj


@emails.purpose("core.moderation_decision")
def decision_email(*, transition: int) -> emails.Email | None:
    """The team's decision, e-mailed to the author from its history row."""
    record = ModerationTransition.objects.select_related("content_type").filter(pk=transition)
    record = record.first()
    if record is None or record.to_status not in TEAM_DECISIONS:
        return None
    model = record.content_type.model_class()
    entry = _registry.get(model._meta.label_lower) if model is not None else None
    obj = (
        model._default_manager.select_related("submitted_by").filter(pk=record.object_id).first()
        if entry is not None
        else None
    )
    submitter = obj.submitted_by if obj is not None else None
    if submitter is None or not submitter.email:
        return None
    to_status = S(record.to_status)
    return emails.Email(
        to=[submitter.email],
        subject=DECISION_SUBJECTS[to_status],
        template=entry.notify_template,
        context={
            "type_label": str(entry.label),
            "title": str(entry.summary(obj)),
            "decision": str(to_status.label),
            "status": str(to_status),
            "reason": record.reason,
            # The author's own view, never the team's page (the admin for a tool).
            "url": public_url_of(entry, obj) or reverse("accounts:contributions"),
            "contributions_url": reverse("accounts:contributions"),
        },
    )


def history(obj) -> list[ModerationTransition]:
    """Every transition of ``obj``, newest first."""
    return list(
        ModerationTransition.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).select_related("actor")
    )


@dataclass
class PendingItem:
    type: ModeratedType
    obj: models.Model
    history: list

    @property
    def key(self):
        return self.type.key

    @property
    def summary(self):
        return self.type.summary(self.obj)

    @property
    def url(self):
        return self.type.detail_url(self.obj)


def pending_items(*, limit_per_type: int = 200) -> tuple[list[PendingItem], list[dict]]:
    """Submitted items of every registered type, oldest first, and the count per type."""
    items: list[PendingItem] = []
    counts = []
    for entry in registered_types():
        queryset = entry.model._default_manager.filter(moderation_status=S.SUBMITTED)
        counts.append({"label": entry.label, "count": queryset.count()})
        objects = list(
            queryset.select_related("submitted_by").order_by("submitted_at", "pk")[:limit_per_type]
        )
        if not objects:
            continue
        content_type = ContentType.objects.get_for_model(entry.model)
        by_object: dict[str, list] = {}
        for row in ModerationTransition.objects.filter(
            content_type=content_type, object_id__in=[str(o.pk) for o in objects]
        ).select_related("actor"):
            by_object.setdefault(row.object_id, []).append(row)
        items.extend(PendingItem(entry, o, by_object.get(str(o.pk), [])) for o in objects)
    epoch = timezone.now().replace(year=1970)
    items.sort(key=lambda i: i.obj.submitted_at or epoch)
    return items, counts


def pending_count():
    """What waits in the queue, all types together, and since when the oldest waits."""
    count, oldest = 0, None
    for entry in registered_types():
        queryset = entry.model._default_manager.filter(moderation_status=S.SUBMITTED)
        row = queryset.aggregate(oldest=models.Min("submitted_at"), n=models.Count("pk"))
        count += row["n"]
        if row["oldest"] is not None and (oldest is None or row["oldest"] < oldest):
            oldest = row["oldest"]
    return count, oldest


# What an author may change and send again from "Mes contributions".
EDITABLE_BY_AUTHOR = {S.CHANGES_REQUESTED}
MODERATION_FIELDS = {
    "id",
    "moderation_status",
    "submitted_by",
    "submitted_at",
    "moderation_reason",
    "published_at",
    "created_at",
    "updated_at",
}
# Fields that carry data the author did not type as such (files, derived values, JSON).
NOT_TYPED = (models.FileField, models.JSONField, models.SlugField, models.AutoField)


def typed_fields(model) -> list[str]:
    """The fields of a moderated model its author typed (text, choices, numbers, addresses)."""
    return [
        f.name
        for f in model._meta.fields
        if f.name not in MODERATION_FIELDS
        and f.editable
        and not f.is_relation
        and not isinstance(f, NOT_TYPED)
    ]


def can_edit(user, obj) -> bool:
    """Its author may change and resubmit a proposal the team sent back for changes."""
    return (
        _is_author(user, obj)
        and obj.moderation_status in EDITABLE_BY_AUTHOR
        and bool(typed_fields(type(obj)))
    )


@dataclass
class Submission:
    """One thing a person submitted, as they see it in "Mes contributions"."""

    type: ModeratedType
    obj: models.Model

    @property
    def summary(self) -> str:
        return str(self.type.summary(self.obj))

    @property
    def status(self) -> str:
        return self.obj.moderation_status

    @property
    def status_label(self) -> str:
        return S(self.obj.moderation_status).label

    @property
    def tone(self) -> str:
        """The tag's colour on "Mes contributions": success once published, warning when the
        author has something to do or to read (changes asked, refusal), plain otherwise."""
        if self.status == S.PUBLISHED:
            return "success"
        if self.status in (S.CHANGES_REQUESTED, S.REJECTED):
            return "warning"
        return ""

    @property
    def reason(self) -> str:
        # The team's last word matters while it applies (changes asked, refusal).
        if self.status in (S.CHANGES_REQUESTED, S.REJECTED):
            return self.obj.moderation_reason
        return ""

    @property
    def url(self) -> str:
        return public_url_of(self.type, self.obj)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_BY_AUTHOR and bool(typed_fields(type(self.obj)))

    @property
    def withdrawable(self) -> bool:
        return self.obj.moderation_status in WITHDRAWABLE_BY_AUTHOR


@dataclass
class SubmissionGroup:
    type: ModeratedType
    items: list[Submission]
    total: int


def submission_of(user, kind: str, pk: str) -> Submission | None:
    """One thing ``user`` submitted, by its registered type key and id (None otherwise)."""
    entry = moderated_type(kind)
    if entry is None or not str(pk).isdigit() or not user.is_authenticated:
        return None
    obj = entry.model._default_manager.filter(pk=int(pk), submitted_by=user).first()
    return Submission(entry, obj) if obj is not None else None


def submissions_by(user, *, limit_per_type: int = 50) -> list[SubmissionGroup]:
    """What ``user`` submitted, per registered type, newest first (``limit_per_type`` each)."""
    if user is None or not user.is_authenticated:
        return []
    groups = []
    for entry in registered_types():
        queryset = entry.model._default_manager.filter(submitted_by=user)
        objects = list(queryset.order_by("-submitted_at", "-pk")[:limit_per_type])
        if not objects:
            continue
        total = len(objects) if len(objects) < limit_per_type else queryset.count()
        groups.append(SubmissionGroup(entry, [Submission(entry, o) for o in objects], total))
    return groups
