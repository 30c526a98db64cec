"""E-mails of the instruction: a new message to the other side of the dossier, and the
expert's request and reminder with the private link (derived again at send time)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core.emails import Email, purpose, site_url

from ..models import ExpertOpinion, Message
from ..selectors import instruction as selectors
from .applications import member_emails


def _team_emails(application) -> list[str]:
    """The instruction side of a dossier: its group's reviewers and the team members who
    wrote in the thread."""
    addresses = set(
        application.group.members.exclude(email="").values_list("email", flat=True)
        if application.group_id
        else []
    )
    addresses |= set(
        application.messages.filter(from_team=True, author__isnull=False)
        .exclude(author__email="")
        .values_list("author__email", flat=True)
    )
    return sorted(addresses)


@purpose("fund.message")
def new_message(*, message: int) -> Email | None:
    """A message of the team to the association's members, or of the association to the
    instruction side. The text stays on the site (sign-in needed to read it)."""
    record = (
        Message.objects.select_related("application__call", "application__organisation")
        .filter(pk=message)
        .first()
    )
    if record is None:
        return None
    application = record.application
    if record.from_team:
        recipients = member_emails(application.organisation)
        url = reverse("fund:application_messages", args=[application.reference])
    else:
        recipients = _team_emails(application)
        url = reverse("fund:application_messages", args=[application.reference])
    if not recipients:
        return None
    return Email(
        to=recipients,
        subject=_("Fonds d'accompagnement — nouveau message sur le dossier %(reference)s")
        % {"reference": application.reference},
        template="fund_message",
        context={
            "organisation": application.organisation.name,
            "call": application.call.title,
            "reference": application.reference,
            "from_team": record.from_team,
            "url": site_url(url),
        },
    )


def _expert_email(opinion_id: int, *, reminder: bool) -> Email | None:
    opinion = (
        ExpertOpinion.objects.select_related("application__call", "application__organisation")
        .filter(pk=opinion_id, revoked_at__isnull=True, answered_at__isnull=True)
        .first()
    )
    if opinion is None:
        return None
    link = site_url(reverse("fund:expert_opinion", args=[selectors.expert_secret(opinion)]))
    subject = (
        _("Rappel : avis attendu avant le %(date)s sur un dossier du fonds d'accompagnement")
        if reminder
        else _("Demande d'avis sur un dossier du fonds d'accompagnement (avant le %(date)s)")
    )
    return Email(
        to=[opinion.expert_email],
        subject=subject % {"date": opinion.deadline.strftime("%d/%m/%Y")},
        template="fund_expert_request",
        context={
            "name": opinion.expert_name,
            "organisation": opinion.application.organisation.name,
            "call": opinion.application.call.title,
            "question": opinion.question,
            "deadline": opinion.deadline.strftime("%d/%m/%Y"),
            "reminder": reminder,
            "url": link,
        },
    )


@purpose("fund.expert_request")
def expert_request(*, opinion: int) -> Email | None:
    return _expert_email(opinion, reminder=False)


@purpose("fund.expert_reminder")
def expert_reminder(*, opinion: int) -> Email | None:
    return _expert_email(opinion, reminder=True)
