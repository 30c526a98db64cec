"""Who may do what with testimonials. Used by views, the API and templates alike; the
``*_refusal`` functions say why not and what to do instead (``core.refusals``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ressourcerie.core.models import ModerationStatus, Organisation, OrganisationKind
from ressourcerie.core.permissions import can_moderate, is_organisation_member
from ressourcerie.core.refusals import Action, Refusal, organisation_member_refusal, role_refusal
from ressourcerie.core.roles import Role


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def associations_for(user):
    """Associations the user is a member of (the ones they may write a testimonial for)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        kind=OrganisationKind.ASSOCIATION, memberships__user=user
    ).distinct()


def can_submit(user) -> bool:
    return associations_for(user).exists()


def can_submit_for(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.ASSOCIATION
        and is_organisation_member(user, organisation)
    )


def is_author(user, testimonial) -> bool:
    return _signed_in(user) and testimonial.submitted_by_id == user.pk


def can_view(user, testimonial) -> bool:
    """Published ones are public; others only for their author and the moderation team."""
    if testimonial.moderation_status == ModerationStatus.PUBLISHED:
        return True
    return is_author(user, testimonial) or can_moderate(user)


def can_edit(user, testimonial) -> bool:
    """The author (the moderation machine re-checks it); withdrawn or rejected is final."""
    if testimonial.moderation_status in (ModerationStatus.WITHDRAWN, ModerationStatus.REJECTED):
        return False
    return is_author(user, testimonial) and is_organisation_member(user, testimonial.organisation)


def can_withdraw(user, testimonial) -> bool:
    if testimonial.moderation_status == ModerationStatus.WITHDRAWN:
        return False
    return is_author(user, testimonial) or can_moderate(user)


def can_contact(user, testimonial) -> bool:
    """Signed-in people outside the association, when it agreed to be contacted."""
    return (
        _signed_in(user)
        and testimonial.contact_opt_in
        and testimonial.moderation_status == ModerationStatus.PUBLISHED
        and not is_organisation_member(user, testimonial.organisation)
    )


FINAL = (ModerationStatus.WITHDRAWN, ModerationStatus.REJECTED)


def _see(testimonial) -> Action:
    return Action(_("Voir le témoignage"), testimonial.get_absolute_url(), primary=True)


def _contact_team() -> Action:
    return Action(_("Écrire à l'équipe de la plateforme"), reverse("core:contact"))


def submit_refusal(next_url: str) -> Refusal:
    """No association to write for: register one (coming back here) or be invited."""
    refusal = role_refusal(Role.MEMBER, next_url)
    refusal.title = _("Un témoignage est écrit au nom d'une association")
    refusal.situation = _(
        "Votre compte n'est rattaché à aucune association : inscrivez la vôtre (vous reviendrez "
        "ici ensuite), ou demandez à l'un de ses membres de vous inviter."
    )
    return refusal


def edit_refusal(user, testimonial) -> Refusal:
    """Why ``user`` may not change ``testimonial`` (text, images), and what to do instead."""
    if is_author(user, testimonial) and testimonial.moderation_status in FINAL:
        return Refusal(
            title=_("Ce témoignage ne peut plus être modifié"),
            situation=_("Il est « %(status)s » : il n'apparaît plus sur le site.")
            % {"status": testimonial.get_moderation_status_display()},
            how_to_ask=_(
                "Vous pouvez raconter à nouveau votre expérience dans un autre témoignage."
            ),
            actions=[
                Action(_("Raconter votre expérience"), reverse("testimonials:create"), True),
                Action(_("Mes témoignages"), reverse("testimonials:mine")),
            ],
        )
    if is_author(user, testimonial):
        return organisation_member_refusal(testimonial.organisation)
    if can_moderate(user):
        return Refusal(
            title=_("Seule la personne qui l'a écrit modifie un témoignage"),
            situation=_(
                "L'équipe ne réécrit pas un témoignage : elle le publie, demande des "
                "modifications à son auteur ou le retire."
            ),
            missing=_("Être l'auteur du témoignage."),
            how_to_ask=_("Pour demander une modification, passez par la modération."),
            actions=[
                _see(testimonial),
                Action(_("Ouvrir la modération"), reverse("core:moderation_queue")),
            ],
        )
    return Refusal(
        title=_("Page réservée à la personne qui a écrit ce témoignage"),
        situation=_("Un témoignage n'est modifié que par son auteur, membre de « %(name)s ».")
        % {"name": testimonial.organisation.name},
        missing=_("Être l'auteur de ce témoignage."),
        granted_by=_("Personne : chacun modifie les témoignages qu'il a écrits."),
        how_to_ask=_(
            "Si une information est fausse, signalez-la à l'équipe ; pour raconter votre "
            "propre expérience, écrivez un témoignage au nom de votre association."
        ),
        actions=[
            _see(testimonial),
            Action(_("Raconter votre expérience"), reverse("testimonials:create")),
            _contact_team(),
        ],
    )


def withdraw_refusal(user, testimonial) -> Refusal:
    """Why ``user`` may not withdraw ``testimonial``."""
    if testimonial.moderation_status == ModerationStatus.WITHDRAWN:
        return Refusal(
            title=_("Ce témoignage est déjà retiré"),
            situation=_("Il n'apparaît plus nulle part sur le site."),
            actions=[Action(_("Mes témoignages"), reverse("testimonials:mine"), True)],
        )
    return Refusal(
        title=_("Seuls l'auteur et l'équipe retirent un témoignage"),
        situation=_("Ce témoignage a été écrit par un membre de « %(name)s ».")
        % {"name": testimonial.organisation.name},
        missing=_("Être l'auteur de ce témoignage, ou membre de l'équipe de la plateforme."),
        granted_by=_("Les administrateurs de la plateforme, pour l'équipe."),
        how_to_ask=_(
            "Si ce témoignage pose un problème (information fausse, données personnelles), "
            "écrivez à l'équipe : elle peut le retirer."
        ),
        actions=[_see(testimonial), _contact_team()],
    )


def contact_refusal(user, testimonial) -> Refusal:
    """Why ``user`` may not write to the association behind ``testimonial``."""
    if is_organisation_member(user, testimonial.organisation):
        situation = _("Vous êtes membre de « %(name)s » : ce formulaire sert aux autres.")
    else:
        situation = _("« %(name)s » n'a pas souhaité être contactée à propos de ce témoignage.")
    return Refusal(
        title=_("Impossible d'écrire à cette association ici"),
        situation=situation % {"name": testimonial.organisation.name},
        how_to_ask=_("Sa page dans l'annuaire des associations dit comment la joindre."),
        actions=[
            _see(testimonial),
            Action(_("Voir la page de l'association"), testimonial.organisation.get_absolute_url()),
        ],
    )
