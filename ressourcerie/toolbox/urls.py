from django.urls import path

from . import views

app_name = "toolbox"

urlpatterns = [
    path("", views.index, name="index"),
    path("par-ou-commencer/", views.starter, name="starter"),
    path("comparer/", views.compare, name="compare"),
    path("proposer/", views.propose, name="propose"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide"),
    path("besoins/<slug:slug>/", views.need_detail, name="need"),
    path("export.<str:fmt>", views.export, name="export"),
    path("gestion/a-verifier/", views.to_verify, name="to_verify"),
    path("gestion/verifier/<slug:slug>/", views.mark_verified, name="mark_verified"),
    path("<slug:slug>/", views.tool_detail, name="tool"),
    path("<slug:slug>/corriger/", views.correct, name="correct"),
]
