from django.urls import path

from .views import mine, plan, results, staff, taking

app_name = "diagnostic"

urlpatterns = [
    path("autodiagnostic/", taking.intro, name="intro"),
    path("autodiagnostic/commencer/", taking.start, name="start"),
    path("autodiagnostic/etape/<int:number>/", taking.step, name="step"),
    path("autodiagnostic/plus-tard/", taking.saved, name="saved"),
    path("autodiagnostic/reprendre/<str:token>/", taking.resume, name="resume"),
    path("autodiagnostic/resultats/", results.results, name="results"),
    path("autodiagnostic/resultats/rapport.pdf", results.results_pdf, name="results_pdf"),
    path("autodiagnostic/refaire/", results.retake, name="retake"),
    path("autodiagnostic/mes-diagnostics/", mine.mine, name="mine"),
    path("autodiagnostic/mes-diagnostics/<int:pk>/", mine.mine_detail, name="mine_detail"),
    path("autodiagnostic/mes-diagnostics/<int:pk>/rapport.pdf", mine.mine_pdf, name="mine_pdf"),
    path(
        "autodiagnostic/mes-diagnostics/<int:pk>/reprendre/",
        mine.mine_resume,
        name="mine_resume",
    ),
    path("autodiagnostic/mon-plan/", plan.my_plan, name="my_plan"),
    path("autodiagnostic/mon-plan/actions/<int:pk>/", plan.mark, name="mark_action"),
    path("gestion/autodiagnostic/", staff.dashboard, name="dashboard"),
    path("gestion/autodiagnostic/agregats.csv", staff.export_csv, name="export_csv"),
    path("gestion/autodiagnostic/versions/", staff.versions, name="versions"),
]
