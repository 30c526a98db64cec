from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.near, name="near"),
    path("carte/", views.map_view, name="map"),
    path("carte/departements.geojson", views.departments_geojson, name="departments_geojson"),
    path("gestion/import/", views.import_places, name="import"),
    path("<slug:slug>/", views.place_detail, name="place_detail"),
    path("<slug:slug>/signaler/", views.report_error, name="report"),
]
