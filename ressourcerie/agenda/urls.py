from django.urls import path

from .views import attendance, invitations, organiser, public, registrations, staff

app_name = "agenda"

urlpatterns = [
    path("", public.index, name="index"),
    path("agenda.ics", public.feed, name="feed"),
    path("structure/<slug:slug>.ics", public.structure_feed, name="structure_feed"),
    path("calendrier/<str:token>.ics", public.private_feed, name="private_feed"),
    path("mes-inscriptions/", registrations.mine, name="mine"),
    path("mes-inscriptions/calendrier/", registrations.calendar_key, name="calendar_key"),
    path("inscription/<str:secret>/", registrations.registration, name="registration"),
    path("inscription/<str:secret>/attestation.pdf", registrations.certificate, name="certificate"),
    path("organiser/", organiser.organiser, name="organiser"),
    path("nouveau/", organiser.create, name="create"),
    path("gestion/", staff.moderation, name="staff"),
    path("gestion/<int:pk>/", staff.moderate, name="moderate"),
    path("<int:pk>/", public.event, name="event"),
    path("<int:pk>.ics", public.event_ics, name="event_ics"),
    path("<int:pk>/inscription/", public.register, name="register"),
    path("<int:pk>/modifier/", organiser.edit, name="edit"),
    path("<int:pk>/publier/", organiser.publish, name="publish"),
    path("<int:pk>/statut/", organiser.change_status, name="status"),
    path("<int:pk>/inviter/", invitations.invite, name="invite"),
    path("<int:pk>/inscrits/", organiser.registrations, name="registrations"),
    path("<int:pk>/inscrits.csv", organiser.registrations_csv, name="registrations_csv"),
    path("<int:pk>/inscrits.ods", attendance.registrations_ods, name="registrations_ods"),
    path("<int:pk>/emargement/", attendance.attendance_sheet, name="attendance_sheet"),
    path("<int:pk>/inscrits/<int:registration_pk>/decision/", organiser.decide, name="decide"),
]
