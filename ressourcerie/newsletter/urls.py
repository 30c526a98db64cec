from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("lettre/", views.subscribe, name="subscribe"),
    path("lettre/inscription-envoyee/", views.subscribe_done, name="subscribe_done"),
    path("lettre/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("lettre/preferences/<str:token>/", views.preferences, name="preferences"),
    path("lettre/desinscription/effectuee/", views.unsubscribed, name="unsubscribed"),
    path("lettre/desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("lettre/mon-abonnement/", views.account, name="account"),
    path("lettre/archives/", views.archive_list, name="archive_list"),
    path("lettre/archives/atom.xml", views.ArchiveFeed(), name="archive_feed"),
    path("lettre/archives/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("gestion/lettre/", views.staff_editions, name="staff_editions"),
    path("gestion/lettre/nouvelle/", views.staff_edition_edit, name="staff_edition_new"),
    path("gestion/lettre/abonnes/", views.staff_subscribers, name="staff_subscribers"),
    path(
        "gestion/lettre/abonnes/export.csv",
        views.staff_subscribers_csv,
        name="staff_subscribers_csv",
    ),
    path("gestion/lettre/<int:pk>/", views.staff_edition, name="staff_edition"),
    path("gestion/lettre/<int:pk>/envoyer/", views.staff_edition_send, name="staff_edition_send"),
    path("gestion/lettre/<int:pk>/modifier/", views.staff_edition_edit, name="staff_edition_edit"),
    path(
        "gestion/lettre/<int:pk>/<str:action>/",
        views.staff_edition_action,
        name="staff_edition_action",
    ),
]
