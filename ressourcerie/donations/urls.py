from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("", views.home, name="home"),
    path("donner/", views.offer_new, name="offer_new"),
    path("donner/envoyee/", views.offer_sent, name="offer_sent"),
    path("confirmer/<str:secret>/", views.confirm, name="confirm"),
    path("suivi/<str:secret>/", views.follow, name="follow"),
    path("suivi/<str:secret>/attestation/", views.certificate, name="certificate"),
    path("deposer/", views.dropoff, name="dropoff"),
    path("impact/", views.impact_page, name="impact"),
    path("impact.csv", views.impact_csv, name="impact_csv"),
    path("demande/", views.request_new, name="request_new"),
    path("mes-demandes/", views.my_requests, name="my_requests"),
    path("attributions/<int:pk>/reception/", views.receipt, name="receipt"),
    path("demandes/<int:pk>/", views.request_detail, name="request"),
    path("demandes/<int:pk>/<str:action>/", views.request_action, name="request_action"),
    path("atelier/", views.workshop, name="workshop"),
    path("atelier/zone/", views.workshop_area, name="workshop_area"),
    path("atelier/offres/<int:pk>/", views.offer_detail, name="offer"),
    path("atelier/lots/<int:pk>/", views.lot_detail, name="lot"),
    path("atelier/lots/<int:pk>/<str:action>/", views.lot_action, name="lot_action"),
    path("gestion/", views.staff_home, name="staff"),
]
