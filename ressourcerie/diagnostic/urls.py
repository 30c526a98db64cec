from django.urls import path

from . import views

app_name = "diagnostic"

urlpatterns = [
    path("autodiagnostic/", views.intro, name="intro"),
    path("autodiagnostic/commencer/", views.start, name="start"),
    path("autodiagnostic/etape/<int:number>/", views.step, name="step"),
    path("autodiagnostic/plus-tard/", views.saved, name="saved"),
    path("autodiagnostic/reprendre/<str:token>/", views.resume, name="resume"),
    path("autodiagnostic/resultats/", views.results, name="results"),
    path("autodiagnostic/resultats/rapport.pdf", views.results_pdf, name="results_pdf"),
    path("autodiagnostic/refaire/", views.retake, name="retake"),
    path("autodiagnostic/mes-diagnostics/", views.mine, name="mine"),
    path("autodiagnostic/mes-diagnostics/<int:pk>/", views.mine_detail, name="mine_detail"),
    path("autodiagnostic/mes-diagnostics/<int:pk>/rapport.pdf", views.mine_pdf, name="mine_pdf"),
    path(
        "autodiagnostic/mes-diagnostics/<int:pk>/reprendre/",
        views.mine_resume,
        name="mine_resume",
    ),
    path("gestion/autodiagnostic/", views.dashboard, name="dashboard"),
    path("gestion/autodiagnostic/agregats.csv", views.export_csv, name="export_csv"),
    path("gestion/autodiagnostic/versions/", views.versions, name="versions"),
]
