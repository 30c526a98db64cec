from django.urls import path

from .views import claims, editing, map, mine, public, staff

app_name = "directory"

urlpatterns = [
    path("", public.near, name="near"),
    path("carte/", map.map_view, name="map"),
    path("mes-fiches/", mine.my_listings, name="mine"),
    path("carte/departements.geojson", map.departments_geojson, name="departments_geojson"),
    path("carte/lieux.geojson", map.map_points, name="map_points"),
    path("carte/villes.json", map.map_labels, name="map_labels"),
    path("gestion/import/", staff.import_places, name="import"),
    path("gestion/a-verifier/", staff.stale_places, name="stale"),
    path("gestion/demandes/", staff.claim_requests, name="claims"),
    path("gestion/demandes/<int:pk>/", staff.claim_decide, name="claim_decide"),
    path("gestion/modifications/<int:pk>/", staff.edit_review, name="edit_review"),
    path("confirmer/<str:token>/", editing.confirm_by_link, name="confirm"),
    path("<slug:slug>/", public.place_detail, name="place_detail"),
    path("<slug:slug>/signaler/", public.report_error, name="report"),
    path("<slug:slug>/gerer/", claims.claim, name="claim"),
    path("<slug:slug>/gerer/code/", claims.claim_code, name="claim_code"),
    path("<slug:slug>/modifier/", editing.edit_place, name="edit"),
    path("<slug:slug>/a-jour/", editing.confirm_current, name="confirm_current"),
    path("<slug:slug>/ecrire/", public.contact, name="contact"),
]
