"""E-mails of the support itself (part 2), rebuilt by the worker from ids: status changes,
offers with their private link (derived again here), « déjà attribué », revocation, offers
unanswered or nobody to ask (to the team), sessions logged and contested."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.accounts.models import Membership, Role
from ressourcerie.core.emails import Email, purpose, site_url
from ressourcerie.core.roles import TEAM_ROLES

from ..models import (
    Cohort,
    Offer,
    SessionCheck,
    SessionLog,
    Support,
    SupportStatus,
    SupportTransition,
)
from ..selectors import support as selectors
from .applications import member_emails

TEMPLATE = "fund_support_notice"


def actor_emails(organisation) -> list[str]:
    """The people who speak for a support structure (member or editor)."""
    if organisation is None:
        return []
    return sorted(
        set(
            Membership.objects.filter(
                organisation=organisation, role__in=[Role.MEMBER, Role.EDITOR]
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def team_emails() -> list[str]:
    """The platform team (staff, superusers, platform moderators and administrators)."""
    team = Q(is_staff=True) | Q(is_superuser=True)
    team |= Q(memberships__organisation__isnull=True, memberships__role__in=list(TEAM_ROLES))
    return sorted(
        set(
            get_user_model()
            .objects.filter(team, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _notice(to, subject, lines, *, url="", url_label="", warning="") -> Email | None:
    if not to:
        return None
    return Email(
        to=to,
        subject=subject,
        template=TEMPLATE,
        context={
            "lines": [line for line in lines if line],
            "url": site_url(url) if url else "",
            "url_label": url_label or _("Voir l'accompagnement :"),
            "warning": warning,
        },
    )


def _offer(pk: int) -> Offer | None:
    """An offer with what its e-mails name (the actor, the call, the association's town)."""
    return (
        Offer.objects.select_related(
            "actor",
            "support__application__call",
            "support__application__organisation__commune",
            "cohort__call",
        )
        .filter(pk=pk)
        .first()
    )


@purpose("fund.support_status")
def support_status(*, transition: int) -> Email | None:
    """The association's members (and the actor's people once it holds it) learn each move."""
    record = (
        SupportTransition.objects.select_related(
            "support__application__organisation", "support__application__call", "support__actor"
        )
        .filter(pk=transition)
        .first()
    )
    if record is None:
        return None
    support = record.support
    application = support.application
    status = SupportStatus(record.to_status)
    lines = [
        _(
            "L'accompagnement de « %(organisation)s » (dossier %(reference)s, appel « %(call)s ») est maintenant : %(status)s."
        )
        % {
            "organisation": application.organisation.name,
            "reference": application.reference,
            "call": application.call.title,
            "status": status.label,
        },
        _("Motif : %(reason)s") % {"reason": record.reason} if record.reason else "",
    ]
    subject = _("Fonds d'accompagnement — accompagnement %(reference)s : « %(status)s »") % {
        "reference": application.reference,
        "status": status.label,
    }
    recipients = set(member_emails(application.organisation))
    if status in (SupportStatus.ASSIGNED, SupportStatus.DONE) and support.actor_id:
        recipients |= set(actor_emails(support.actor))
    return _notice(
        sorted(recipients),
        subject,
        lines,
        url=reverse("fund:support_association", args=[application.reference]),
    )


def _offer_subject(offer: Offer) -> tuple[str, str]:
    if offer.support_id:
        application = offer.support.application
        commune = application.organisation.commune
        where = commune.name if commune else ""
        return application.call.title, where
    return offer.cohort.call.title, offer.cohort.name


@purpose("fund.offer")
def offer_sent(*, offer: int) -> Email | None:
    record = (
        Offer.objects.select_related(
            "actor",
            "support__application__call",
            "support__application__organisation__commune",
            "cohort__call",
        )
        .filter(pk=offer, status="envoyee")
        .first()
    )
    if record is None:
        return None
    call, where = _offer_subject(record)
    link = reverse("fund:offer", args=[selectors.offer_secret(record)])
    lines = [
        _(
            "Le fonds d'accompagnement propose à « %(actor)s » d'accompagner une association (%(where)s, appel « %(call)s »)."
        )
        % {"actor": record.actor.name, "where": where, "call": call},
        _("Répondez avant le %(date)s : le premier acteur qui accepte est retenu.")
        % {"date": record.expires_at.strftime("%d/%m/%Y")},
    ]
    return _notice(
        actor_emails(record.actor),
        _("Fonds d'accompagnement — une association à accompagner près de chez vous"),
        lines,
        url=link,
        url_label=_(
            "Voir la proposition et répondre (connectez-vous avec le compte de votre structure) :"
        ),
        warning=_("Ce lien est personnel : ne le transmettez pas."),
    )


@purpose("fund.offer_taken")
def offer_taken(*, offer: int) -> Email | None:
    record = _offer(offer)
    if record is None:
        return None
    call, where = _offer_subject(record)
    return _notice(
        actor_emails(record.actor),
        _("Fonds d'accompagnement — proposition déjà attribuée"),
        [
            _(
                "L'accompagnement proposé (%(where)s, appel « %(call)s ») est déjà attribué à un autre acteur. Merci de votre disponibilité."
            )
            % {"where": where, "call": call},
        ],
    )


@purpose("fund.offer_revoked")
def offer_revoked(*, offer: int) -> Email | None:
    record = _offer(offer)
    if record is None:
        return None
    call, where = _offer_subject(record)
    return _notice(
        actor_emails(record.actor),
        _("Fonds d'accompagnement — proposition retirée"),
        [
            _(
                "L'équipe du fonds a retiré à « %(actor)s » l'accompagnement (%(where)s, appel « %(call)s ») : vous n'y avez plus accès."
            )
            % {"actor": record.actor.name, "where": where, "call": call},
        ],
    )


@purpose("fund.offers_unanswered")
def offers_unanswered(*, support: int | None = None, cohort: int | None = None) -> Email | None:
    if support:
        record = Support.objects.select_related("application").filter(pk=support).first()
        if record is None:
            return None
        name = record.application.reference
        url = reverse("fund:staff_support", args=[record.application.reference])
    else:
        record = Cohort.objects.filter(pk=cohort).first()
        if record is None:
            return None
        name = record.name
        url = reverse("fund:staff_supports")
    return _notice(
        team_emails(),
        _("Fonds d'accompagnement — personne n'a accepté « %(name)s »") % {"name": name},
        [
            _(
                "Aucun acteur n'a accepté « %(name)s » : attribuez-le à la main ou proposez-le à d'autres acteurs."
            )
            % {"name": name}
        ],
        url=url,
    )


@purpose("fund.no_candidates")
def no_candidates(*, support: int) -> Email | None:
    record = Support.objects.select_related("application").filter(pk=support).first()
    if record is None or record.actor_id is not None:
        return None
    name = record.application.reference
    return _notice(
        team_emails(),
        _("Fonds d'accompagnement — aucun acteur pour « %(name)s »") % {"name": name},
        [
            _(
                "Aucun prestataire agréé ne correspond à « %(name)s » (thèmes du plan, distance, jours disponibles ce trimestre) : proposez-le à un acteur de votre choix ou attribuez-le à la main."
            )
            % {"name": name}
        ],
        url=reverse("fund:staff_support", args=[name]),
    )


@purpose("fund.session_logged")
def session_logged(*, session: int, support: int) -> Email | None:
    record = SessionLog.objects.filter(pk=session).first()
    target = Support.objects.select_related("application__organisation").filter(pk=support).first()
    if record is None or target is None:
        return None
    return _notice(
        member_emails(target.application.organisation),
        _("Fonds d'accompagnement — une séance à confirmer"),
        [
            _(
                "L'acteur qui vous accompagne a enregistré une séance le %(date)s. Confirmez-la, ou dites ce qui ne correspond pas."
            )
            % {"date": record.held_on.strftime("%d/%m/%Y")}
        ],
        url=reverse("fund:support_association", args=[target.application.reference]),
    )


@purpose("fund.session_contested")
def session_contested(*, check: int) -> Email | None:
    record = (
        SessionCheck.objects.select_related(
            "session", "support__application__organisation", "support__actor"
        )
        .filter(pk=check)
        .first()
    )
    if record is None:
        return None
    support = record.support
    return _notice(
        sorted(set(actor_emails(support.actor)) | set(team_emails())),
        _("Fonds d'accompagnement — une séance contestée"),
        [
            _("« %(organisation)s » conteste la séance du %(date)s : %(comment)s")
            % {
                "organisation": support.application.organisation.name,
                "date": record.session.held_on.strftime("%d/%m/%Y"),
                "comment": record.comment,
            }
        ],
        url=reverse("fund:staff_support", args=[support.application.reference]),
    )
