"""URLs of the fund's calls: public pages, feed, staff management (family "calls")."""

from django.urls import path

from .views.pending import not_built

urlpatterns = [
    path("", not_built, name="call_list"),
    path("appels.atom", not_built, name="call_feed"),
    path("appels/<slug:slug>/", not_built, name="call_detail"),
    path("gestion/appels/", not_built, name="staff_calls"),
    path("gestion/appels/nouveau/", not_built, name="staff_call_create"),
    path("gestion/appels/<slug:slug>/", not_built, name="staff_call_edit"),
    path("gestion/appels/<slug:slug>/etat/", not_built, name="staff_call_transition"),
]
