"""URLs of the support itself (part 2, family "support"): the offer's private link, the
association's and the actor's pages, the team's list, support page and providers."""

from django.urls import path

from .views import (
    support_cohort_events,
    support_cohort_follow,
    support_follow,
    support_offers,
    support_staff,
)

urlpatterns = [
    path("proposition/<str:token>/", support_offers.offer, name="offer"),
    path(
        "dossiers/<str:reference>/accompagnement/",
        support_follow.support_association,
        name="support_association",
    ),
    path("mes-accompagnements/", support_follow.actor_supports, name="actor_supports"),
    path(
        "mes-accompagnements/<str:reference>/",
        support_follow.support_actor,
        name="support_actor",
    ),
    path(
        "mes-accompagnements/groupes/<int:pk>/",
        support_cohort_follow.cohort_actor,
        name="cohort_actor",
    ),
    path(
        "mes-accompagnements/groupes/<int:pk>/enregistrer/<int:event>/",
        support_cohort_follow.cohort_actor,
        name="cohort_actor_event",
    ),
    path(
        "mes-accompagnements/groupes/<int:pk>/seances/",
        support_cohort_events.cohort_schedule,
        name="cohort_schedule",
    ),
    path("gestion/accompagnements/", support_staff.staff_supports, name="staff_supports"),
    path(
        "gestion/accompagnements/<str:reference>/",
        support_staff.staff_support,
        name="staff_support",
    ),
    path("gestion/prestataires/", support_staff.staff_providers, name="staff_providers"),
    path(
        "gestion/prestataires/ajouter/",
        support_staff.staff_provider_edit,
        name="staff_provider_new",
    ),
    path(
        "gestion/prestataires/<int:pk>/",
        support_staff.staff_provider_edit,
        name="staff_provider_edit",
    ),
]
