from django.urls import path

from .views import associations, public, team, workshop

app_name = "donations"

urlpatterns = [
    path("", public.home, name="home"),
    path("donner/", public.offer_new, name="offer_new"),
    path("donner/envoyee/", public.offer_sent, name="offer_sent"),
    path("confirmer/<str:secret>/", public.confirm, name="confirm"),
    path("suivi/<str:secret>/", public.follow, name="follow"),
    path("suivi/<str:secret>/modifier/", public.offer_change, name="offer_change"),
    path("suivi/<str:secret>/retirer/", public.offer_withdraw, name="offer_withdraw"),
    path("suivi/<str:secret>/attestation/", public.certificate, name="certificate"),
    path("deposer/", public.dropoff, name="dropoff"),
    path("impact/", public.impact_page, name="impact"),
    path("impact.csv", public.impact_csv, name="impact_csv"),
    path("demande/", associations.request_new, name="request_new"),
    path("mes-demandes/", associations.my_requests, name="my_requests"),
    path("attributions/<int:pk>/reception/", associations.receipt, name="receipt"),
    path("demandes/<int:pk>/", associations.request_detail, name="request"),
    path("demandes/<int:pk>/<str:action>/", associations.request_action, name="request_action"),
    path("atelier/", workshop.workshop, name="workshop"),
    path("atelier/zone/", workshop.workshop_area, name="workshop_area"),
    path("atelier/offres/<int:pk>/", workshop.offer_detail, name="offer"),
    path("atelier/lots/<int:pk>/", workshop.lot_detail, name="lot"),
    path("atelier/lots/<int:pk>/<str:action>/", workshop.lot_action, name="lot_action"),
    path("gestion/", team.staff_home, name="staff"),
]
