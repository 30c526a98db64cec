from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.near, name="near"),
    path("carte/", views.map_view, name="map"),
    path("carte/departements.geojson", views.departments_geojson, name="departments_geojson"),
    path("gestion/import/", views.import_places, name="import"),
    path("gestion/a-verifier/", views.stale_places, name="stale"),
    path("gestion/demandes/", views.claim_requests, name="claims"),
    path("gestion/demandes/<int:pk>/", views.claim_decide, name="claim_decide"),
    path("gestion/modifications/<int:pk>/", views.edit_review, name="edit_review"),
    path("confirmer/<str:token>/", views.confirm_by_link, name="confirm"),
    path("<slug:slug>/", views.place_detail, name="place_detail"),
    path("<slug:slug>/signaler/", views.report_error, name="report"),
    path("<slug:slug>/gerer/", views.claim, name="claim"),
    path("<slug:slug>/gerer/code/", views.claim_code, name="claim_code"),
    path("<slug:slug>/modifier/", views.edit_place, name="edit"),
    path("<slug:slug>/a-jour/", views.confirm_current, name="confirm_current"),
    path("<slug:slug>/ecrire/", views.contact, name="contact"),
]
