"""URLs of the association's side: starting, editing, submitting, following a dossier
(family "applying")."""

from django.urls import path

from .views import applying, applying_documents

urlpatterns = [
    path("appels/<slug:slug>/deposer/", applying.apply, name="apply"),
    path("mes-dossiers/", applying.my_applications, name="my_applications"),
    path("dossiers/<str:reference>/", applying.application_detail, name="application_detail"),
    path("dossiers/<str:reference>/modifier/", applying.application_edit, name="application_edit"),
    path(
        "dossiers/<str:reference>/etat/",
        applying.application_transition,
        name="application_transition",
    ),
    path(
        "dossiers/<str:reference>/recepisse.pdf",
        applying_documents.receipt_pdf,
        name="receipt_pdf",
    ),
    path(
        "dossiers/<str:reference>/pieces/<int:pk>/",
        applying_documents.document_download,
        name="document_download",
    ),
    path(
        "dossiers/<str:reference>/pieces/<int:pk>/supprimer/",
        applying_documents.document_delete,
        name="document_delete",
    ),
]
