"""URLs of the team's support pages: collective cohorts per call and the fund's dashboard
(family "support", part 2)."""

from django.urls import path

from .views import support_cohorts, support_dashboard

urlpatterns = [
    path(
        "gestion/appels/<slug:slug>/groupes/",
        support_cohorts.cohort_suggestions,
        name="cohort_suggestions",
    ),
    path(
        "gestion/appels/<slug:slug>/groupes/<int:pk>/",
        support_cohorts.cohort_detail,
        name="cohort_detail",
    ),
    path("gestion/tableau-de-bord/", support_dashboard.dashboard, name="support_dashboard"),
    path(
        "gestion/tableau-de-bord/export.csv",
        support_dashboard.dashboard_csv,
        name="support_dashboard_csv",
    ),
    path(
        "gestion/tableau-de-bord/export.ods",
        support_dashboard.dashboard_ods,
        name="support_dashboard_ods",
    ),
]
