"""Mounted under /associations/ in core's namespace (``core:organisation_list``…).

The invitation pages (``core:invitation``, ``core:organisation_invite``) are accounts' views
(an invitation makes a membership), added to the same namespace by ``ressourcerie/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("inscrire/", views.organisation_create, name="organisation_create"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/modifier/", views.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/verifier/", views.organisation_verify, name="organisation_verify"),
    path("<slug:slug>/signaler/", views.organisation_correction, name="organisation_correction"),
]
