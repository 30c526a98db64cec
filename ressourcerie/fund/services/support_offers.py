"""Offers: a support or a cohort proposed to actors, the first to accept gets it.

``propose`` sends each actor an e-mail with a private link (the token derived again by the
worker, only its hash stored, ``expires_at`` = now + ``FUND_OFFER_ANSWER_DAYS``); ``accept``
locks the support (or cohort) row, so of two actors answering together one gets it and the
other's offer is already « prise par un autre »; ``decline`` records the reason; the team
``revoke``s an offer, ``cancel_assignment``s (the actor loses access, the matching proposes
to the next candidates), ``assign_by_hand``s; ``expire_offers`` (daily) closes unanswered
offers and alerts the team. ``Offer.status`` changes only in ``_move_offer``.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ressourcerie.core.services import queue_email
from ressourcerie.core.tokens import hash_token, new_token
from ressourcerie.core.workflow import TransitionRecord

from .. import permissions
from ..errors import FundError
from ..models import (
    Cohort,
    CohortStatus,
    DeclineReason,
    Offer,
    OfferStatus,
    OfferTransition,
    Support,
    SupportFormat,
    SupportStatus,
)
from ..selectors import support as selectors
from ..selectors import support_matching
from . import support as support_services
from .support_states import OFFER_MACHINE

OS = OfferStatus
S = SupportStatus
C = CohortStatus
# How many of the next candidates the matching asks when it runs again by itself.
NEXT_BATCH = 3

GONE_MESSAGES = {
    OS.ACCEPTED: _("Vous avez déjà accepté cette proposition."),
    OS.DECLINED: _("Vous avez déjà décliné cette proposition."),
    OS.TAKEN: _("Cet accompagnement a déjà été attribué à un autre acteur : rien n'a changé."),
    OS.REVOKED: _("L'équipe du fonds a retiré cette proposition : rien n'a changé."),
    OS.EXPIRED: _("Le délai de réponse est passé : l'équipe du fonds a repris la main."),
}


def _subject(support, cohort):
    if (support is None) == (cohort is None):
        raise FundError(_("Une proposition concerne un accompagnement ou un groupe."))
    return support if support is not None else cohort


def _lock_subject(*, support=None, cohort=None):
    if support is not None:
        return Support.objects.select_for_update(of=("self",)).get(pk=support.pk), None
    return None, Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)


def _move_subject(*, support, cohort, target, actor, reason="", assigned_actor=None):
    if support is not None:
        return support_services.transition_support(
            support=support,
            target=target,
            actor=actor,
            reason=reason,
            assigned_actor=assigned_actor,
        )
    return support_services.transition_cohort(
        cohort=cohort, target=target, actor=actor, reason=reason, assigned_actor=assigned_actor
    )


def _move_offer(offer: Offer, target: str, *, actor, reason: str = "", email: str = "") -> Offer:
    """The one place ``Offer.status`` changes (the caller holds the subject's lock)."""
    OFFER_MACHINE.check(offer.status, target)
    from_status = offer.status
    offer.status = target
    fields = ["status", "updated_at"]
    if target in (OS.ACCEPTED, OS.DECLINED):
        offer.answered_at = timezone.now()
        offer.answered_by = TransitionRecord.actor_or_none(actor)
        fields += ["answered_at", "answered_by"]
    offer.save(update_fields=fields)
    OfferTransition.objects.create(
        offer=offer,
        from_status=from_status,
        to_status=target,
        actor=TransitionRecord.actor_or_none(actor),
        reason=(reason or "")[:500],
    )
    if email:
        queue_email(purpose=email, ids={"offer": offer.pk})
    return offer


def _team_only(actor) -> None:
    if not permissions.can_manage_fund(actor):
        raise FundError(
            _("Seule l'équipe du fonds propose, attribue et retire les accompagnements.")
        )


# --- proposing ---------------------------------------------------------------------------------


def propose(*, support=None, cohort=None, organisations, actor) -> list[Offer]:
    """Send the support (or cohort) to these actors: one offer and one e-mail each. Actors
    with a live offer are skipped; an organisation off the active providers is refused."""
    _subject(support, cohort)
    if actor is not None:
        _team_only(actor)
    organisations = list(organisations)
    if not organisations:
        raise FundError(_("Choisissez au moins un acteur à qui proposer."), field="organisations")
    active = set(selectors.active_providers().values_list("organisation_id", flat=True))
    outside = [o.name for o in organisations if o.pk not in active]
    if outside:
        raise FundError(
            _("Pas sur la liste des prestataires agréés : %(names)s.")
            % {"names": ", ".join(outside)}
        )
    with transaction.atomic():
        support, cohort = _lock_subject(support=support, cohort=cohort)
        subject = support or cohort
        if subject.status not in (S.TO_ASSIGN, S.OFFERED):
            raise FundError(
                _("Cet accompagnement n'est plus à attribuer : il est « %(state)s ».")
                % {"state": subject.get_status_display()}
            )
        found = {
            c.organisation.pk: c
            for c in (
                support_matching.candidates(support)
                if support is not None
                else support_matching.cohort_candidates(cohort)
            )
        }
        live = set(
            selectors.offers_of(support=support, cohort=cohort)
            .filter(status__in=[OS.SENT, OS.ACCEPTED])
            .values_list("actor_id", flat=True)
        )
        expires_at = timezone.now() + timedelta(days=settings.FUND_OFFER_ANSWER_DAYS)
        offers = []
        for organisation in organisations:
            if organisation.pk in live:
                continue
            candidate = found.get(organisation.pk)
            _raw, placeholder = new_token(32)
            offer = Offer.objects.create(
                support=support,
                cohort=cohort,
                actor=organisation,
                token_hash=placeholder,
                expires_at=expires_at,
                distance_km=candidate.distance_km if candidate else None,
                why=(candidate.why if candidate else _("Choisi par l'équipe du fonds."))[:500],
            )
            offer.token_hash = hash_token(selectors.offer_secret(offer))
            offer.save(update_fields=["token_hash"])
            OfferTransition.objects.create(
                offer=offer,
                from_status="",
                to_status=OS.SENT,
                actor=TransitionRecord.actor_or_none(actor),
            )
            queue_email(purpose="fund.offer", ids={"offer": offer.pk})
            offers.append(offer)
        if offers and subject.status == S.TO_ASSIGN:
            _move_subject(support=support, cohort=cohort, target=S.OFFERED, actor=actor)
    return offers


def propose_next(*, support=None, cohort=None, actor) -> list[Offer]:
    """The matching runs again: the next candidates not asked yet (``NEXT_BATCH``)."""
    found = (
        support_matching.candidates(support)
        if support is not None
        else support_matching.cohort_candidates(cohort)
    )
    fresh = [c.organisation for c in found if not c.already_asked][:NEXT_BATCH]
    if not fresh:
        return []
    return propose(support=support, cohort=cohort, organisations=fresh, actor=actor)


def match_opened(*, support: Support) -> list[Offer]:
    """The matching runs by itself when an individual support opens (à attribuer, nobody
    asked yet): the first ``NEXT_BATCH`` candidates are asked; when nobody matches, the team
    is alerted (``escalated_at``, e-mail) and assigns by hand."""
    if support.support_format != SupportFormat.INDIVIDUAL or support.status != S.TO_ASSIGN:
        return []
    if selectors.offers_of(support=support).filter(status__in=[OS.SENT, OS.ACCEPTED]).exists():
        return []
    offers = propose_next(support=support, actor=None)
    if not offers:
        Support.objects.filter(pk=support.pk).update(escalated_at=timezone.now())
        queue_email(purpose="fund.no_candidates", ids={"support": support.pk})
    return offers


# --- answering ---------------------------------------------------------------------------------


def _live_offer(raw_token: str, user) -> Offer:
    offer = selectors.offer_by_token(raw_token)
    if offer is None:
        raise FundError(_("Ce lien de proposition n'existe pas : vérifiez l'adresse reçue."))
    if not permissions.acts_for(user, offer.actor):
        raise FundError(
            _("Pour répondre, connectez-vous avec un compte membre ou éditeur de « %(name)s ».")
            % {"name": offer.actor.name}
        )
    return offer


def _check_open(offer: Offer) -> None:
    if offer.status != OS.SENT:
        raise FundError(GONE_MESSAGES[offer.status])
    if offer.expires_at < timezone.now():
        raise FundError(GONE_MESSAGES[OS.EXPIRED])


def accept(*, raw_token: str, user) -> Offer:
    """The actor takes the support (or cohort): first wins under the subject's row lock; the
    other live offers become « prise par un autre » and their actors are told."""
    offer = _live_offer(raw_token, user)
    with transaction.atomic():
        support, cohort = _lock_subject(support=offer.support, cohort=offer.cohort)
        offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
        _check_open(offer)
        subject = support or cohort
        if subject.status != S.OFFERED:
            raise FundError(GONE_MESSAGES[OS.TAKEN])
        _move_offer(offer, OS.ACCEPTED, actor=user)
        others = selectors.offers_of(support=support, cohort=cohort).filter(status=OS.SENT)
        for other in others.select_for_update(of=("self",)):
            _move_offer(other, OS.TAKEN, actor=user, email="fund.offer_taken")
        _move_subject(
            support=support,
            cohort=cohort,
            target=S.ASSIGNED,
            actor=user,
            assigned_actor=offer.actor,
            reason=_("Proposition acceptée par %(name)s.") % {"name": offer.actor.name},
        )
    return offer


def decline(*, raw_token: str, user, reason: str, comment: str = "") -> Offer:
    """The actor declines with a reason from the list; when no offer is left waiting, the
    matching asks the next candidates, or the team is alerted when there are none."""
    offer = _live_offer(raw_token, user)
    if reason not in DeclineReason.values:
        raise FundError(_("Choisissez un motif dans la liste."), field="reason")
    comment = (comment or "").strip()
    if reason == DeclineReason.OTHER and not comment:
        raise FundError(_("Précisez la raison."), field="comment")
    with transaction.atomic():
        support, cohort = _lock_subject(support=offer.support, cohort=offer.cohort)
        offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
        _check_open(offer)
        offer.decline_reason = reason
        offer.decline_comment = comment[:500]
        offer.save(update_fields=["decline_reason", "decline_comment"])
        _move_offer(offer, OS.DECLINED, actor=user, reason=comment)
        _after_no_answer(support=support, cohort=cohort)
    return offer


def _after_no_answer(*, support, cohort) -> None:
    """No offer left waiting on a proposed subject: ask the next candidates, else back to
    à attribuer with the team alerted."""
    subject = support or cohort
    if subject.status != S.OFFERED:
        return
    if selectors.offers_of(support=support, cohort=cohort).filter(status=OS.SENT).exists():
        return
    if propose_next(support=support, cohort=cohort, actor=None):
        return
    _move_subject(
        support=support,
        cohort=cohort,
        target=S.TO_ASSIGN,
        actor=None,
        reason=_("Aucun acteur n'a accepté : l'équipe attribue à la main."),
    )
    ids = {"support": support.pk} if support is not None else {"cohort": cohort.pk}
    queue_email(purpose="fund.offers_unanswered", ids=ids)


# --- the team's hand -------------------------------------------------------------------------------


def revoke(*, offer: Offer, actor, reason: str = "") -> Offer:
    """The team withdraws an offer waiting for an answer; the link no longer serves."""
    _team_only(actor)
    with transaction.atomic():
        support, cohort = _lock_subject(support=offer.support, cohort=offer.cohort)
        offer = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
        if offer.status != OS.SENT:
            raise FundError(_("Cette proposition n'attend plus de réponse."))
        _move_offer(offer, OS.REVOKED, actor=actor, reason=reason, email="fund.offer_revoked")
        _after_no_answer(support=support, cohort=cohort)
    return offer


def cancel_assignment(*, support=None, cohort=None, actor, reason: str) -> list[Offer]:
    """The team takes the support (or cohort) back from its actor, who loses access; the
    matching proposes it to the next candidates. Returns the new offers."""
    _subject(support, cohort)
    _team_only(actor)
    reason = (reason or "").strip()
    if not reason:
        raise FundError(_("Écrivez pourquoi l'attribution est annulée."), field="reason")
    with transaction.atomic():
        support, cohort = _lock_subject(support=support, cohort=cohort)
        subject = support or cohort
        if subject.status not in (S.ASSIGNED, S.RUNNING):
            raise FundError(_("Cet accompagnement n'est attribué à aucun acteur."))
        accepted = selectors.offers_of(support=support, cohort=cohort).filter(status=OS.ACCEPTED)
        for offer in accepted.select_for_update(of=("self",)):
            _move_offer(offer, OS.REVOKED, actor=actor, reason=reason, email="fund.offer_revoked")
        _move_subject(
            support=support, cohort=cohort, target=S.TO_ASSIGN, actor=actor, reason=reason
        )
        return propose_next(support=support, cohort=cohort, actor=actor)


def assign_by_hand(*, support=None, cohort=None, organisation, actor, reason: str = ""):
    """The team assigns directly to an approved provider; offers still waiting are closed
    (« prise par un autre », their actors told)."""
    _subject(support, cohort)
    _team_only(actor)
    if not selectors.active_providers().filter(organisation=organisation).exists():
        raise FundError(
            _("« %(name)s » n'est pas sur la liste des prestataires agréés.")
            % {"name": organisation.name},
            field="organisation",
        )
    with transaction.atomic():
        support, cohort = _lock_subject(support=support, cohort=cohort)
        subject = support or cohort
        if subject.status not in (S.TO_ASSIGN, S.OFFERED):
            raise FundError(
                _(
                    "Cet accompagnement n'est plus à attribuer : annulez d'abord l'attribution en cours."
                )
            )
        waiting = selectors.offers_of(support=support, cohort=cohort).filter(status=OS.SENT)
        for offer in waiting.select_for_update(of=("self",)):
            _move_offer(offer, OS.TAKEN, actor=actor, email="fund.offer_taken")
        return _move_subject(
            support=support,
            cohort=cohort,
            target=S.ASSIGNED,
            actor=actor,
            assigned_actor=organisation,
            reason=(reason or "").strip() or _("Attribué à la main par l'équipe du fonds."),
        )


def withdraw_open_offers(*, support=None, cohort=None, actor, reason: str = "") -> int:
    """Offers waiting on a support that stops (dropped): revoked, their actors told."""
    count = 0
    waiting = selectors.offers_of(support=support, cohort=cohort).filter(status=OS.SENT)
    for offer in waiting.select_for_update(of=("self",)):
        _move_offer(offer, OS.REVOKED, actor=actor, reason=reason, email="fund.offer_revoked")
        count += 1
    return count


def drop_support(*, support: Support, actor, reason: str) -> Support:
    """The team drops a support (abandonné, with a reason): waiting offers are withdrawn, the
    accepted one revoked (the actor loses access)."""
    _team_only(actor)
    if not (reason or "").strip():
        raise FundError(_("Écrivez le motif de l'abandon."), field="reason")
    with transaction.atomic():
        support, _cohort = _lock_subject(support=support)
        withdraw_open_offers(support=support, actor=actor, reason=reason)
        accepted = selectors.offers_of(support=support).filter(status=OS.ACCEPTED)
        for offer in accepted.select_for_update(of=("self",)):
            _move_offer(offer, OS.REVOKED, actor=actor, reason=reason, email="fund.offer_revoked")
        return support_services.transition_support(
            support=support, target=S.DROPPED, actor=actor, reason=reason
        )


def drop_on_reopening(*, application, actor, reason: str) -> None:
    """A decision reopened (called by ``transition_application``): its support, if not
    started (no session yet), is dropped with the reopening's reason and its offers closed;
    a running or finished support refuses the reopening."""
    support = (
        Support.objects.select_for_update(of=("self",)).filter(application=application).first()
    )
    if support is None or support.status == S.DROPPED:
        return
    if support.status not in support_services.NOT_STARTED:
        raise FundError(
            _(
                "L'accompagnement de ce dossier a commencé (« %(state)s ») : il faut d'abord "
                "l'abandonner depuis sa page."
            )
            % {"state": support.get_status_display()}
        )
    withdraw_open_offers(support=support, actor=actor, reason=reason)
    accepted = selectors.offers_of(support=support).filter(status=OS.ACCEPTED)
    for offer in accepted.select_for_update(of=("self",)):
        _move_offer(offer, OS.REVOKED, actor=actor, reason=reason, email="fund.offer_revoked")
    support_services.transition_support(
        support=support,
        target=S.DROPPED,
        actor=actor,
        reason=_("Décision rouverte : %(reason)s") % {"reason": reason},
    )


# --- expiry ------------------------------------------------------------------------------------


def expire_offers(now=None) -> int:
    """Offers unanswered past ``expires_at`` expire; a support (or cohort) left with no
    offer waiting goes back to à attribuer and the team is alerted. Returns the count."""
    now = now or timezone.now()
    count = 0
    for offer in list(selectors.expired_open_offers(now).only("pk", "support_id", "cohort_id")):
        with transaction.atomic():
            support = Support(pk=offer.support_id) if offer.support_id else None
            cohort = Cohort(pk=offer.cohort_id) if offer.cohort_id else None
            support, cohort = _lock_subject(support=support, cohort=cohort)
            locked = Offer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
            if locked.status != OS.SENT:
                continue
            _move_offer(locked, OS.EXPIRED, actor=None)
            count += 1
            subject = support or cohort
            if subject.status == S.OFFERED and not (
                selectors.offers_of(support=support, cohort=cohort).filter(status=OS.SENT).exists()
            ):
                _move_subject(
                    support=support,
                    cohort=cohort,
                    target=S.TO_ASSIGN,
                    actor=None,
                    reason=_(
                        "Aucun acteur n'a répondu dans le délai : l'équipe attribue à la main."
                    ),
                )
                ids = {"support": support.pk} if support is not None else {"cohort": cohort.pk}
                queue_email(purpose="fund.offers_unanswered", ids=ids)
    return count
