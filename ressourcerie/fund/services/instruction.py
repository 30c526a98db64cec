"""Instruction: routing to reviewer groups, reviews, team notes and labels, messages, expert
opinions. Every write checks the actor's right (``permissions``) and refuses with a French
``FundError``; status changes go through ``services.applications.transition_application``."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import hash_token, new_token

from .. import permissions
from ..errors import FundError
from ..models import (
    Annotation,
    Application,
    ApplicationStatus,
    ExpertOpinion,
    Label,
    Message,
    Recommendation,
    Review,
    ReviewerGroup,
    ReviewScore,
)
from ..selectors import instruction as selectors
from .applications import transition_application

# An attachment to a message: the kinds a browser opens, checked by their first bytes.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".odt": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
}


def _team_only(actor) -> None:
    if not permissions.can_manage_fund(actor):
        raise FundError(_("Seule l'équipe du fonds peut faire cela."))


# --- routing, notes, labels ------------------------------------------------------------------


def reassign_group(*, application: Application, group: ReviewerGroup | None, actor) -> None:
    _team_only(actor)
    Application.objects.filter(pk=application.pk).update(group=group, updated_at=timezone.now())
    application.group = group


def add_annotation(*, application: Application, actor, body: str) -> Annotation:
    _team_only(actor)
    body = (body or "").strip()
    if not body:
        raise FundError(_("Écrivez l'annotation."), field="body")
    return Annotation.objects.create(application=application, author=actor, body=body)


def set_labels(*, application: Application, actor, labels, new_label: str = "") -> None:
    """Replace the dossier's labels; ``new_label`` creates (or reuses) one by its name."""
    _team_only(actor)
    chosen = list(labels)
    name = (new_label or "").strip()
    if name:
        label = Label.objects.filter(name__iexact=name).first()
        if label is None:
            label = Label.objects.create(name=name[:60])
        chosen.append(label)
    application.labels.set(chosen)


# --- moves from the instruction page ---------------------------------------------------------


def move_application(*, application: Application, to_status: str, actor, reason: str = ""):
    """A move of the instruction page (start the instruction, ask for a correction, reopen,
    withdraw). A correction request also appears in the dossier's messages (the e-mail is the
    machine's status e-mail, which carries the reason)."""
    with transaction.atomic():
        application = transition_application(
            application=application, to_status=to_status, actor=actor, reason=reason
        )
        if to_status == ApplicationStatus.TO_CORRECT:
            Message.objects.create(
                application=application,
                author=actor,
                from_team=True,
                correction=True,
                body=reason.strip(),
            )
    return application


# --- reviews ---------------------------------------------------------------------------------


def _check_reviewer(application: Application, reviewer) -> None:
    if permissions.is_applicant(reviewer, application):
        raise FundError(
            _("Vous êtes membre de cette association : vous ne pouvez pas évaluer son dossier.")
        )
    if not permissions.can_review(reviewer, application):
        raise FundError(_("Ce dossier n'est pas confié à votre groupe d'instruction."))
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
        raise FundError(_("Ce dossier n'est plus en cours d'instruction."))


def save_review(
    *,
    application: Application,
    reviewer,
    scores: dict,
    comment: str = "",
    recommendation: str = "",
    submit: bool = False,
) -> Review:
    """Save the reviewer's draft, or submit it (every criterion scored and a recommendation
    chosen). A submitted review is final. ``scores`` maps criterion ids to 0–5 or None."""
    _check_reviewer(application, reviewer)
    criteria = {c.pk: c for c in application.call.criteria.all()}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise FundError(_("Cette grille ne correspond pas à l'appel du dossier."))
    for value in scores.values():
        if value is not None and not 0 <= int(value) <= 5:
            raise FundError(_("Chaque note va de 0 à 5."))
    if recommendation and recommendation not in Recommendation.values:
        raise FundError(_("Choisissez un avis dans la liste."), field="recommendation")
    if submit:
        missing = [c.title for pk, c in criteria.items() if scores.get(pk) is None]
        if missing:
            raise FundError(
                _("Notez chaque critère avant de rendre l'évaluation : %(titles)s.")
                % {"titles": ", ".join(missing)}
            )
        if not recommendation:
            raise FundError(_("Choisissez votre avis."), field="recommendation")
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(
            application=application, reviewer=reviewer
        )
        if review.submitted_at is not None:
            raise FundError(_("Votre évaluation est déjà rendue : elle ne peut plus changer."))
        if review.conflict_declared:
            raise FundError(_("Vous avez déclaré un conflit d'intérêts sur ce dossier."))
        review.comment = (comment or "").strip()
        review.recommendation = recommendation or ""
        if submit:
            review.submitted_at = timezone.now()
        review.save()
        review.scores.all().delete()
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, criterion_id=pk, score=int(value))
            for pk, value in scores.items()
            if value is not None
        )
    return review


def declare_conflict(*, application: Application, reviewer) -> Review:
    """The reviewer steps aside: their scores are dropped and they no longer see the dossier's
    scores (``permissions.has_conflict``)."""
    if not permissions.can_review(reviewer, application):
        raise FundError(_("Ce dossier n'est pas confié à votre groupe d'instruction."))
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(
            application=application, reviewer=reviewer
        )
        review.conflict_declared = True
        review.submitted_at = None
        review.recommendation = ""
        review.comment = ""
        review.save()
        review.scores.all().delete()
    return review


# --- messages --------------------------------------------------------------------------------


def check_attachment(upload) -> None:
    """A message's attachment: size-limited, of a known kind checked by its content."""
    if upload is None:
        return
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise FundError(_("La pièce jointe dépasse 10 Mo."), field="attachment")
    name = upload.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    signatures = ATTACHMENT_SIGNATURES.get(extension)
    head = upload.read(16)
    upload.seek(0)
    if signatures is None or not head.startswith(signatures):
        raise FundError(
            _("La pièce jointe doit être un PDF, un ODT, un DOCX, une image PNG ou JPEG."),
            field="attachment",
        )


def post_message(*, application: Application, author, body: str, attachment=None) -> Message:
    """A message in the dossier's thread; the other side is told by e-mail."""
    team = permissions.can_instruct(author, application)
    if not (team or permissions.is_applicant(author, application)):
        raise FundError(_("Vous ne pouvez pas écrire sur ce dossier."))
    body = (body or "").strip()
    if not body:
        raise FundError(_("Écrivez votre message."), field="body")
    check_attachment(attachment)
    with transaction.atomic():
        message = Message(
            application=application,
            author=author,
            from_team=team and not permissions.is_applicant(author, application),
            body=body,
        )
        if attachment is not None:
            message.attachment_name = attachment.name[-200:]
            message.attachment.save(attachment.name, attachment, save=False)
        message.save()
        queue_email(purpose="fund.message", ids={"message": message.pk})
    return message


# --- expert opinions -------------------------------------------------------------------------


def request_expert(
    *,
    application: Application,
    actor,
    name: str,
    email: str,
    deadline,
    question: str = "",
    organisation=None,
) -> ExpertOpinion:
    """Ask a directory actor for an opinion: an e-mail with a private link (no account)."""
    _team_only(actor)
    if deadline <= timezone.localdate():
        raise FundError(_("Choisissez une date limite après aujourd'hui."), field="deadline")
    if deadline > timezone.localdate() + timedelta(days=180):
        raise FundError(_("Choisissez une date limite dans les six mois."), field="deadline")
    if not (name or "").strip() or not (email or "").strip():
        raise FundError(_("Indiquez le nom et l'adresse de l'expert."), field="expert_email")
    with transaction.atomic():
        # Unusable until the derived secret's hash replaces it (the secret needs the id).
        _raw, placeholder = new_token(32)
        opinion = ExpertOpinion.objects.create(
            application=application,
            organisation=organisation,
            expert_name=name.strip(),
            expert_email=email.strip(),
            token_hash=placeholder,
            requested_by=actor,
            question=(question or "").strip(),
            deadline=deadline,
        )
        opinion.token_hash = hash_token(selectors.expert_secret(opinion))
        opinion.save(update_fields=["token_hash"])
        queue_email(purpose="fund.expert_request", ids={"opinion": opinion.pk})
    return opinion


def revoke_expert(*, opinion: ExpertOpinion, actor) -> None:
    _team_only(actor)
    if opinion.answered_at is not None:
        raise FundError(_("Cet avis est déjà rendu : le lien ne sert plus."))
    ExpertOpinion.objects.filter(pk=opinion.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def answer_expert(*, raw_token: str, opinion_text: str, recommendation: str) -> ExpertOpinion:
    """The expert's answer, once, through a live link."""
    opinion_text = (opinion_text or "").strip()
    if not opinion_text:
        raise FundError(_("Écrivez votre avis."), field="opinion")
    if recommendation not in Recommendation.values:
        raise FundError(_("Choisissez votre avis dans la liste."), field="recommendation")
    with transaction.atomic():
        found = selectors.expert_by_token(raw_token)
        if found is None:
            raise FundError(_("Ce lien n'est plus valable : l'avis a été rendu ou retiré."))
        opinion = ExpertOpinion.objects.select_for_update().get(pk=found.pk)
        if opinion.answered_at is not None or opinion.revoked_at is not None:
            raise FundError(_("Ce lien n'est plus valable : l'avis a été rendu ou retiré."))
        opinion.opinion = opinion_text
        opinion.recommendation = recommendation
        opinion.answered_at = timezone.now()
        opinion.save(update_fields=["opinion", "recommendation", "answered_at", "updated_at"])
    return opinion


def remind_experts() -> int:
    """One reminder to each expert whose deadline is near and who has not answered."""
    count = 0
    for opinion in selectors.experts_to_remind(timezone.localdate()):
        with transaction.atomic():
            updated = ExpertOpinion.objects.filter(pk=opinion.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if updated:
                queue_email(purpose="fund.expert_reminder", ids={"opinion": opinion.pk})
                count += 1
    return count
