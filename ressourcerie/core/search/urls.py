# Included from core/urls.py without a namespace of its own: names are "core:…".
from django.urls import path

from . import views

urlpatterns = [
    path("recherche/", views.search_page, name="search"),
    path("gestion/synonymes/", views.synonym_list, name="search_synonyms"),
    path("gestion/synonymes/ajouter/", views.synonym_edit, name="search_synonym_add"),
    path("gestion/synonymes/<int:pk>/", views.synonym_edit, name="search_synonym_edit"),
    path(
        "gestion/synonymes/<int:pk>/supprimer/",
        views.synonym_delete,
        name="search_synonym_delete",
    ),
]
