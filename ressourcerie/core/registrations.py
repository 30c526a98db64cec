"""Core's own entries in the shared registries (navigation, moderation, search), called once
from ``CoreConfig.ready``. Every app does all its registering in one such module."""

from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from . import (
    checks,  # noqa: F401  (registers the deploy checks of the instance's details)
    emails,
    moderation,
    navigation,
    pagecache,
)
from .contact import services as contact_services  # noqa: F401  (its e-mail purpose)
from .models import OrganisationChange, OrganisationCorrection
from .organisations import services as organisation_services
from .organisations import verification
from .search import backends as search_backends
from .search.registrations import register_core_types


def ensure_search_schema(using="default", **kwargs):
    """After migrations: the engine-specific search objects (FTS5 tables, triggers…)."""
    search_backends.ensure_schema(connections[using])


def register_all(app_config) -> None:
    pagecache.watch_writes()
    navigation.register_part(
        navigation.Part(
            key="associations",
            label=_("Associations"),
            url_name="core:organisation_list",
            description=_(
                "Les associations et les structures d'accompagnement du territoire ; "
                "inscrivez la vôtre et invitez ses membres."
            ),
            order=90,
            path_prefix="/associations/",
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Modération"),
            url_name="core:moderation_queue",
            description=_("Les contributions en attente de décision, les plus anciennes d'abord."),
            order=10,
        )
    )
    navigation.register_counter("core:moderation_queue", _moderation_waiting)
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Associations à vérifier"),
            url_name="core:verification_queue",
            description=_(
                "Les associations inscrites qui attendent la vérification de l'équipe, avec "
                "ce que la plateforme sait déjà de chacune."
            ),
            order=12,
        )
    )
    navigation.register_counter("core:verification_queue", _verification_waiting)
    moderation.register_moderated(
        OrganisationCorrection,
        label=_("Correction d'une organisation"),
        detail_url=lambda c: c.organisation_url(),
        summary=lambda c: f"{c.organisation.name} : {c.message[:200]}",
        public_url=lambda c: c.organisation_url(),
    )
    moderation.register_moderated(
        OrganisationChange,
        label=_("Changement d'une organisation vérifiée"),
        detail_url=lambda c: c.organisation.get_absolute_url(),
        summary=lambda c: c.summary(),
        on_published=organisation_services.apply_organisation_change,
        public_url=lambda c: c.organisation.get_absolute_url(),
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Courriels envoyés"),
            url_name="core:outbox",
            description=_("En développement : les courriels écrits dans var/outbox/."),
            order=90,
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Administration technique"),
            url_name="admin:index",
            description=_("L'interface d'administration de Django, pour les cas rares."),
            order=99,
            staff_account_only=True,
        )
    )
    navigation.register_staff_entry(
        navigation.StaffEntry(
            label=_("Synonymes de recherche"),
            url_name="core:search_synonyms",
            description=_("Les équivalences que la recherche du site comprend."),
            order=60,
        )
    )
    register_core_types()

    post_migrate.connect(ensure_search_schema, sender=app_config)
    # Every app's e-mail purposes, so that a worker can rebuild any queued e-mail.
    emails.autodiscover()


def _moderation_waiting() -> navigation.Pending:
    count, oldest = moderation.pending_count()
    return navigation.Pending(count, oldest, str(_("contributions à modérer")))


def _verification_waiting() -> navigation.Pending:
    count, oldest = verification.pending_count()
    return navigation.Pending(count, oldest, str(_("associations à vérifier")))
