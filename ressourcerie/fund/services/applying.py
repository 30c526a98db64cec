"""What the association writes on its dossier besides moving it: the draft (project, format,
plan actions, days, co-funding, attestations), its documents, and what the platform erases or
purges of it. The status itself changes only in ``applications.transition_application``.
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, text
from ..errors import FundError
from ..models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ApplicationTransition,
    ExpertOpinion,
    Message,
    SupportFormat,
)
from . import applications

logger = logging.getLogger(__name__)
S = ApplicationStatus

EDITABLE_STATUSES = (S.DRAFT, S.TO_CORRECT)
# Dossiers whose documents are deleted FUND_DOCUMENT_RETENTION_YEARS after the end.
PURGED_STATUSES = (S.REFUSED, S.WITHOUT_FOLLOW_UP, S.WITHDRAWN)
PROJECT_MAX = 2000
COFUNDING_MAX = 1000


def offered_formats(call) -> list[str]:
    formats = []
    if call.individual_support:
        formats.append(SupportFormat.INDIVIDUAL)
    if call.collective_support:
        formats.append(SupportFormat.COLLECTIVE)
    return formats


def is_editable(application: Application) -> bool:
    return application.status in EDITABLE_STATUSES


def _locked(application: Application, actor) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organisation")
        .get(pk=application.pk)
    )
    if not permissions.is_applicant(actor, locked):
        raise FundError(_("Seuls les membres de l'association peuvent modifier ce dossier."))
    if not is_editable(locked):
        raise FundError(
            _("Ce dossier est « %(status)s » : il ne se modifie plus.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _clean_fields(application: Application, fields: dict) -> dict:
    """Checks every value against the call and the dossier's snapshot (a tampered form is
    refused as a whole, with a French message naming the field)."""
    call = application.call
    project = (fields.get("project") or "").strip()
    if len(project) > PROJECT_MAX:
        raise FundError(
            _("Le projet tient en %(max)s caractères au plus.") % {"max": PROJECT_MAX},
            field="project",
        )
    cofunding = (fields.get("cofunding") or "").strip()
    if len(cofunding) > COFUNDING_MAX:
        raise FundError(
            _("Les cofinancements tiennent en %(max)s caractères au plus.")
            % {"max": COFUNDING_MAX},
            field="cofunding",
        )
    support_format = fields.get("support_format") or ""
    if support_format and support_format not in offered_formats(call):
        raise FundError(
            _("Cet appel ne propose pas ce format d'accompagnement."), field="support_format"
        )
    known = [action["key"] for action in application.diagnostic_snapshot.get("actions", [])]
    action_keys = list(dict.fromkeys(fields.get("action_keys") or []))
    if any(key not in known for key in action_keys):
        raise FundError(
            _("Choisissez les actions parmi celles du plan de votre diagnostic."),
            field="action_keys",
        )
    days = fields.get("days_requested")
    if days not in (None, ""):
        try:
            days = Decimal(str(days))
        except (InvalidOperation, ValueError) as error:
            raise FundError(_("Indiquez un nombre de jours."), field="days_requested") from error
        if not days.is_finite() or days <= 0 or days % Decimal("0.5"):
            raise FundError(
                _("Indiquez un nombre de jours positif, par demi-journées (2 ou 2,5 par exemple)."),
                field="days_requested",
            )
        if days > call.individual_max_days:
            raise FundError(
                _("Cet appel accorde au plus %(days)s jours par association.")
                % {"days": text.days(call.individual_max_days)},
                field="days_requested",
            )
    else:
        days = None
    ticked = list(dict.fromkeys(fields.get("checklist_ticked") or []))
    if any(item not in call.checklist for item in ticked):
        raise FundError(_("Cochez les attestations de l'appel."), field="checklist_ticked")
    # Keep the call's order of actions and attestations, whatever order the form sent.
    return {
        "project": project,
        "cofunding": cofunding,
        "support_format": support_format,
        "action_keys": [key for key in known if key in action_keys],
        "days_requested": days,
        "checklist_ticked": [item for item in call.checklist if item in ticked],
    }


def save_draft(*, application: Application, actor, fields: dict, uploads=()) -> Application:
    """Saves what the association typed and the documents it sent (``uploads``: pairs of a
    ``RequestedDocument`` of the call and a ``documents.Checked``), all or nothing. A new file
    for a requested document replaces the previous one."""
    stored = []
    try:
        with transaction.atomic():
            application = _locked(application, actor)
            values = _clean_fields(application, fields)
            requested_ids = set(application.call.documents.values_list("pk", flat=True))
            for requested, _checked in uploads:
                if requested.pk not in requested_ids:
                    raise FundError(_("Ce document n'est pas demandé par cet appel."))
            for name, value in values.items():
                setattr(application, name, value)
            application.save(update_fields=[*values, "updated_at"])
            for requested, checked in uploads:
                replaced = list(application.documents.filter(requested=requested))
                document = ApplicationDocument(
                    application=application,
                    requested=requested,
                    original_name=checked.original_name,
                    content_type=checked.kind.content_type,
                    size=checked.size,
                    uploaded_by=actor,
                )
                document.file.save(checked.stored_name, ContentFile(checked.data), save=False)
                stored.append(document.file.name)
                document.save()
                for old in replaced:
                    _delete_after_commit(old.file)
                    old.delete()
    except BaseException:
        _delete_files(stored)
        raise
    return application


def submit_application(*, application: Application, actor) -> Application:
    """Deposits the dossier (first time, or again after a correction request)."""
    return applications.transition_application(
        application=application, to_status=S.SUBMITTED, actor=actor
    )


def delete_document(*, document: ApplicationDocument, actor) -> None:
    with transaction.atomic():
        _locked(document.application, actor)
        document = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
        _delete_after_commit(document.file)
        document.delete()


def _delete_after_commit(field_file) -> None:
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _delete_files(names) -> None:
    storage = ApplicationDocument._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


# --- personal data and retention ----------------------------------------------------------


def erase_person(*, user) -> None:
    """Erasure: the association's dossiers stay (they are the association's); the person is
    detached from them by the foreign keys (SET NULL) when the account goes. An expert
    opinion given under the person's address loses the name and the address."""
    ExpertOpinion.objects.filter(expert_email__iexact=user.email).update(
        expert_name=_("Expert (compte supprimé)"), expert_email=""
    )


def _years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def purgeable_applications(*, now=None, years: int):
    """Refused, without follow-up or withdrawn dossiers whose end (the decision, or the
    withdrawal) is more than ``years`` ago and whose documents are still there."""
    cutoff = _years_before(now or timezone.now(), years)
    withdrawn_at = (
        ApplicationTransition.objects.filter(application=OuterRef("pk"), to_status=S.WITHDRAWN)
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        Application.objects.filter(status__in=PURGED_STATUSES, documents_purged_at__isnull=True)
        .annotate(withdrawn_at=Subquery(withdrawn_at))
        .filter(
            (~Q(status=S.WITHDRAWN) & Q(decided_at__lt=cutoff))
            | Q(status=S.WITHDRAWN, withdrawn_at__lt=cutoff)
        )
    )


def purge_documents(*, now=None, years: int) -> tuple[int, int]:
    """Deletes the files (documents and message attachments) of the dossiers
    ``purgeable_applications`` returns and marks them purged. Returns (dossiers, files)."""
    now = now or timezone.now()
    dossiers = files = 0
    for pk in [a.pk for a in purgeable_applications(now=now, years=years)]:
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=pk)
            if application.documents_purged_at is not None:
                continue
            for document in application.documents.all():
                _delete_after_commit(document.file)
                document.delete()
                files += 1
            for message in application.messages.exclude(attachment=""):
                _delete_after_commit(message.attachment)
                Message.objects.filter(pk=message.pk).update(attachment="", attachment_name="")
                files += 1
            application.documents_purged_at = now
            application.save(update_fields=["documents_purged_at", "updated_at"])
            dossiers += 1
    logger.info("fund documents purged: %s dossiers, %s files", dossiers, files)
    return dossiers, files
