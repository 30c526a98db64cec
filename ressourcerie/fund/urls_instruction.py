"""URLs of the instruction: lists, the instruction page, reviews, messages, experts, committee
(family "instruction")."""

from django.urls import path

from .views.pending import not_built

urlpatterns = [
    path("gestion/dossiers/", not_built, name="staff_applications"),
    path("gestion/dossiers/export.csv", not_built, name="applications_csv"),
    path("gestion/dossiers/export.ods", not_built, name="applications_ods"),
    path("instruction/", not_built, name="reviewer_home"),
    path("instruction/<str:reference>/", not_built, name="instruction"),
    path("instruction/<str:reference>/evaluation/", not_built, name="review"),
    path("instruction/<str:reference>/expert/", not_built, name="expert_request"),
    path("dossiers/<str:reference>/messages/", not_built, name="application_messages"),
    path("dossiers/<str:reference>/lettre-de-decision.pdf", not_built, name="decision_letter"),
    path("gestion/appels/<slug:slug>/comite/", not_built, name="committee"),
    path("avis/<str:token>/", not_built, name="expert_opinion"),
]
