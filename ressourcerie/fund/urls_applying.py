"""URLs of the association's side: starting, editing, submitting, following a dossier
(family "applying")."""

from django.urls import path

from .views.pending import not_built

urlpatterns = [
    path("appels/<slug:slug>/deposer/", not_built, name="apply"),
    path("mes-dossiers/", not_built, name="my_applications"),
    path("dossiers/<str:reference>/", not_built, name="application_detail"),
    path("dossiers/<str:reference>/modifier/", not_built, name="application_edit"),
    path("dossiers/<str:reference>/etat/", not_built, name="application_transition"),
    path("dossiers/<str:reference>/recepisse.pdf", not_built, name="receipt_pdf"),
    path("dossiers/<str:reference>/pieces/<int:pk>/", not_built, name="document_download"),
    path("dossiers/<str:reference>/pieces/<int:pk>/supprimer/", not_built, name="document_delete"),
]
