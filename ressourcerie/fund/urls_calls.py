"""URLs of the fund's calls: public pages, feed, staff management (family "calls")."""

from django.urls import path

from .views import calls_public, calls_staff

urlpatterns = [
    path("", calls_public.call_list, name="call_list"),
    path("appels.atom", calls_public.call_feed, name="call_feed"),
    path("appels/<slug:slug>/", calls_public.call_detail, name="call_detail"),
    path("gestion/appels/", calls_staff.staff_calls, name="staff_calls"),
    path("gestion/appels/nouveau/", calls_staff.staff_call_create, name="staff_call_create"),
    path("gestion/appels/<slug:slug>/", calls_staff.staff_call_edit, name="staff_call_edit"),
    path(
        "gestion/appels/<slug:slug>/etat/",
        calls_staff.staff_call_transition,
        name="staff_call_transition",
    ),
]
