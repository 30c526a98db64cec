"""What the support fund holds about a person. The dossiers are the association's: erasing a
member's account detaches them (the foreign keys are set to null) but keeps the dossier, its
history, its documents and its messages, which the other members and the instruction team
still need. An expert opinion given under the person's address loses the name and address."""

from django.db.models import Q

from ressourcerie.accounts.personal_data import ANONYMISED, BLANKED, DELETED, KEPT, Held, declare

from .models import (
    Application,
    ApplicationDocument,
    ExpertOpinion,
    Message,
    Offer,
    SessionCheck,
    SessionLog,
)
from .services import applying

ASSOCIATION_DOSSIER = "the association's dossier, which its other members and the fund follow"
SUPPORT_RECORD = (
    "the record of the association's support (sessions, days consumed), which the association, "
    "its actor and the fund follow; the person who wrote it is detached on erasure"
)


def export(user) -> dict:
    applications = Application.objects.filter(created_by=user).select_related(
        "call", "organisation"
    )
    documents = ApplicationDocument.objects.filter(uploaded_by=user).select_related("application")
    messages = Message.objects.filter(author=user).select_related("application")
    opinions = ExpertOpinion.objects.filter(
        Q(expert_email__iexact=user.email) | Q(requested_by=user)
    ).select_related("application")
    return {
        "dossiers_crees": [
            {
                "numero": a.reference,
                "appel": a.call.title,
                "association": a.organisation.name,
                "etat": a.get_status_display(),
                "cree_le": a.created_at,
                "depose_le": a.submitted_at,
                "projet": a.project,
                "cofinancements": a.cofunding,
            }
            for a in applications.order_by("created_at")
        ],
        "documents_envoyes": [
            {
                "dossier": d.application.reference,
                "nom": d.original_name,
                "taille_octets": d.size,
                "envoye_le": d.created_at,
            }
            for d in documents.order_by("created_at")
        ],
        "messages_ecrits": [
            {"dossier": m.application.reference, "ecrit_le": m.created_at, "message": m.body}
            for m in messages.order_by("created_at")
        ],
        "avis_d_expert": [
            {
                "dossier": o.application.reference,
                "expert": o.expert_name,
                "adresse": o.expert_email,
                "demande_le": o.created_at,
                "avis": o.opinion,
            }
            for o in opinions.order_by("created_at")
        ],
        # Part 2: sessions logged for a structure, sessions checked for an association, offers
        # answered for a structure.
        "seances_enregistrees": [
            {
                "date": s.held_on,
                "duree": f"{s.duration} {s.get_unit_display()}",
                "participants": s.attendees,
                "note": s.note,
            }
            for s in SessionLog.objects.filter(logged_by=user).order_by("held_on", "pk")
        ],
        "seances_confirmees_ou_contestees": [
            {
                "seance_du": c.session.held_on,
                "reponse": c.get_status_display(),
                "commentaire": c.comment,
            }
            for c in SessionCheck.objects.filter(checked_by=user)
            .select_related("session")
            .order_by("checked_at", "pk")
        ],
        "propositions_repondues": [
            {
                "structure": o.actor.name,
                "reponse": o.get_status_display(),
                "motif": o.get_decline_reason_display(),
                "precision": o.decline_comment,
                "le": o.answered_at,
            }
            for o in Offer.objects.filter(answered_by=user)
            .select_related("actor")
            .order_by("answered_at", "pk")
        ],
    }


def erase(user) -> None:
    applying.erase_person(user=user)


def register() -> None:
    declare(
        "fonds_d_accompagnement",
        export=export,
        erase=erase,
        fields=[
            Held("fund.Application", ["project", "cofunding"], KEPT, ASSOCIATION_DOSSIER),
            Held(
                "fund.Application",
                ["decision_reason", "conditions"],
                KEPT,
                "the committee's decision on the association's dossier (open data, budget)",
            ),
            Held(
                "fund.Call",
                ["text"],
                KEPT,
                "the public text of a call, written by the team for every association",
            ),
            Held(
                "fund.RequestedDocument",
                ["help_text"],
                KEPT,
                "the call's public help on a document it asks for",
            ),
            Held(
                "fund.Review",
                ["comment"],
                DELETED,
                "a reviewer's review goes with the reviewer's account (foreign key cascades)",
            ),
            Held(
                "fund.ReviewScore",
                ["comment"],
                DELETED,
                "with the review it belongs to",
            ),
            Held("fund.ApplicationDocument", ["original_name"], KEPT, ASSOCIATION_DOSSIER),
            Held("fund.Message", ["body", "attachment_name"], KEPT, ASSOCIATION_DOSSIER),
            Held(
                "fund.Annotation",
                ["body"],
                KEPT,
                "the instruction team's note on a dossier, not about the author",
            ),
            Held("fund.ExpertOpinion", ["expert_email"], BLANKED),
            Held("fund.ExpertOpinion", ["expert_name"], ANONYMISED, "« Expert (compte supprimé) »"),
            Held(
                "fund.ExpertOpinion",
                ["opinion", "question"],
                KEPT,
                "the opinion given on the association's dossier, which the committee used",
            ),
            Held("fund.SessionLog", ["note", "attendees"], KEPT, SUPPORT_RECORD),
            Held("fund.SessionCheck", ["comment"], KEPT, SUPPORT_RECORD),
            Held(
                "fund.Support",
                ["satisfaction_comment", "report", "objectives"],
                KEPT,
                "the association's and the actor's word on the support, the fund's record",
            ),
            Held(
                "fund.Offer",
                ["decline_comment"],
                KEPT,
                "a support structure's answer to an offer, the fund's record of the matching",
            ),
            Held(
                "fund.Provider",
                ["note"],
                KEPT,
                "the team's note on a support structure it approved, not about a person",
            ),
        ],
    )
