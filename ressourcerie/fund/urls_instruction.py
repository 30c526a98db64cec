"""URLs of the instruction: lists, the instruction page, reviews, messages, experts, committee
(family "instruction")."""

from django.urls import path

from .views import committee, experts, instruction

urlpatterns = [
    path("gestion/dossiers/", instruction.staff_applications, name="staff_applications"),
    path("gestion/dossiers/export.csv", committee.applications_csv, name="applications_csv"),
    path("gestion/dossiers/export.ods", committee.applications_ods, name="applications_ods"),
    path("instruction/", instruction.reviewer_home, name="reviewer_home"),
    path("instruction/<str:reference>/", instruction.instruction, name="instruction"),
    path("instruction/<str:reference>/evaluation/", instruction.review, name="review"),
    path("instruction/<str:reference>/expert/", experts.expert_request, name="expert_request"),
    path(
        "dossiers/<str:reference>/messages/",
        instruction.application_messages,
        name="application_messages",
    ),
    path(
        "dossiers/<str:reference>/messages/<int:pk>/piece-jointe/",
        instruction.message_attachment,
        name="message_attachment",
    ),
    path(
        "dossiers/<str:reference>/lettre-de-decision.pdf",
        committee.decision_letter,
        name="decision_letter",
    ),
    path("gestion/appels/<slug:slug>/comite/", committee.committee, name="committee"),
    path("avis/<str:token>/", experts.expert_opinion, name="expert_opinion"),
]
