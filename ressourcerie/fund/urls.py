"""URLs of the support fund under /fonds/: one module per family of views."""

from . import urls_applying, urls_calls, urls_instruction, urls_support, urls_support_team

app_name = "fund"

urlpatterns = [
    *urls_calls.urlpatterns,
    *urls_applying.urlpatterns,
    *urls_instruction.urlpatterns,
    *urls_support.urlpatterns,
    *urls_support_team.urlpatterns,
]
