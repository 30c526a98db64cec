"""Invitations that reach the right people (issue #17, item 8).

The organiser of a published event that serves plan actions invites "the associations of a
department whose latest diagnostic plan holds one of these actions (still to do or in
progress)". The platform finds them (``diagnostic.selectors.associations_planning``), e-mails
only their members who opted in on « Mon compte » (``accounts.User.event_invitations_opt_in``),
records each association once per event (``EventInvitation``, unique), and tells the organiser
only counts (``InvitationRound``): never a name, whatever the number.

An association none of whose members opted in is not recorded: a member who opts in later is
reached by the next round.
"""

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ressourcerie.accounts import selectors as accounts
from ressourcerie.accounts.models import User
from ressourcerie.core.emails import Email, purpose, site_url
from ressourcerie.core.models import Department, Organisation
from ressourcerie.core.services import queue_email
from ressourcerie.diagnostic import selectors as diagnostic

from . import permissions
from .errors import AgendaError
from .models import Event, EventInvitation, InvitationRound, Publication, Status


class InviteForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Département des associations à inviter"),
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        empty_label=None,
    )


def can_invite(event, now=None) -> str:
    """ "" when the event may be the object of invitations, else why not (French)."""
    if event.publication != Publication.PUBLISHED:
        return _("Publiez d'abord l'événement : on n'invite qu'à un événement public.")
    if event.status == Status.CANCELLED:
        return _("Cet événement est annulé.")
    if event.ends_at is None or event.ends_at < (now or timezone.now()):
        return _("Cet événement est passé.")
    if not event.plan_action_keys:
        return _(
            "Indiquez d'abord, en modifiant l'événement, les actions du plan d'action qu'il "
            "aide à réaliser : ce sont elles qui désignent les associations à inviter."
        )
    return ""


@transaction.atomic
def invite_associations(*, event, actor, department_code: str) -> InvitationRound:
    """Invite, once per association, the associations of ``department_code`` whose kept plan
    holds an action the event serves; e-mail their opted-in members (one e-mail per person).
    Returns the round, which holds only counts."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not permissions.can_edit_event(actor, event):
        raise AgendaError(_("Seuls les organisateurs de cet événement peuvent inviter."))
    if reason := can_invite(event):
        raise AgendaError(reason)
    if not Department.objects.filter(code=department_code).exists():
        raise AgendaError(_("Choisissez un département de la liste."), field="department")
    candidates = diagnostic.associations_planning(department_code, event.plan_action_keys)
    already = set(
        EventInvitation.objects.filter(event=event, organisation_id__in=candidates).values_list(
            "organisation_id", flat=True
        )
    )
    recipients = accounts.event_invitation_recipients(
        [pk for pk in candidates if pk not in already]
    )
    round_ = InvitationRound.objects.create(
        event=event, actor=actor, department_code=department_code
    )
    EventInvitation.objects.bulk_create(
        [
            EventInvitation(round=round_, event=event, organisation_id=pk)
            for pk in sorted(recipients)
        ]
    )
    people = sorted({user for users in recipients.values() for user in users})
    round_.associations, round_.recipients = len(recipients), len(people)
    round_.save(update_fields=["associations", "recipients"])
    for user in people:
        queue_email(
            purpose="agenda.plan_invitation", ids={"invitation_round": round_.pk, "user": user}
        )
    return round_


def rounds_of(event) -> list[InvitationRound]:
    """The organiser's earlier rounds of this event: date, department and counts only."""
    return list(InvitationRound.objects.filter(event=event))


def invited_count(event) -> int:
    return EventInvitation.objects.filter(event=event).count()


# --- the e-mail ------------------------------------------------------------------------------
def _when(event) -> str:
    return formats.date_format(timezone.localtime(event.starts_at), "l j F Y à H:i")


@purpose("agenda.plan_invitation")
def plan_invitation(*, invitation_round: int, user: int) -> Email | None:
    """One member of invited associations: the event, and for each of their associations
    invited in this round the plan actions it serves. Nothing when the person has since
    turned the invitations off, left the association, or the event was withdrawn."""
    round_ = (
        InvitationRound.objects.select_related("event__organiser")
        .filter(pk=invitation_round)
        .first()
    )
    person = User.objects.filter(pk=user, is_active=True, event_invitations_opt_in=True).first()
    if round_ is None or person is None:
        return None
    event = round_.event
    if event.publication != Publication.PUBLISHED or event.status == Status.CANCELLED:
        return None
    organisations = Organisation.objects.filter(
        pk__in=round_.invitations.values("organisation_id"), memberships__user=person
    ).order_by("name")
    served = set(event.plan_action_keys)
    associations = []
    for organisation in organisations.distinct():
        titles = [
            action.title
            for action in diagnostic.association_plan(organisation)
            if action.key in served and action.status in diagnostic.OPEN_PLAN_STATUSES
        ]
        if titles:
            associations.append({"name": organisation.name, "actions": titles})
    if not associations:
        return None
    return Email(
        to=[person.email],
        subject=_("Invitation : %(title)s") % {"title": event.title},
        template="agenda_plan_invitation",
        context={
            "event": event.title,
            "kind": event.get_kind_display(),
            "when": _when(event),
            "organiser": event.organiser.name,
            "associations": associations,
            "event_url": site_url(event.get_absolute_url()),
            "account_url": site_url(reverse("accounts:profile")),
        },
    )
