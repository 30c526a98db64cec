from django.urls import include, path

from . import moderation_views, views
from .organisations import verification_views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
    path("contact/", views.contact, name="contact"),
    path("gestion/", views.staff, name="staff"),
    path("gestion/courriels/", views.outbox, name="outbox"),
    path("gestion/courriels/<str:name>/", views.outbox_detail, name="outbox_detail"),
    path("", include("ressourcerie.core.search.urls")),
]

urlpatterns += [
    path("associations/", include("ressourcerie.core.organisations.urls")),
    path("gestion/moderation/", moderation_views.moderation_queue, name="moderation_queue"),
    path(
        "gestion/moderation/<str:key>/<int:pk>/",
        moderation_views.moderation_decide,
        name="moderation_decide",
    ),
    path(
        "gestion/moderation/<str:key>/<int:pk>/lire/",
        moderation_views.moderation_review,
        name="moderation_review",
    ),
    path(
        "gestion/associations/",
        verification_views.verification_queue,
        name="verification_queue",
    ),
    path(
        "gestion/associations/<slug:slug>/decision/",
        verification_views.verification_decide,
        name="verification_decide",
    ),
]
