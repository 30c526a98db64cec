from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ressourcerie.accounts.urls import organisation_patterns
from ressourcerie.core import urls as core_urls

# Core's pages, plus accounts' invitation pages in the same namespace (``core:invitation``,
# ``core:organisation_invite``, under /associations/ with the organisation pages): an
# invitation makes a membership, so its code lives in accounts, and core imports no other app.
core_patterns = ([*organisation_patterns, *core_urls.urlpatterns], core_urls.app_name)

urlpatterns = [
    path("", include(core_patterns)),
    path("compte/", include("ressourcerie.accounts.urls")),
    path("outils/", include("ressourcerie.toolbox.urls")),
    path("", include("ressourcerie.newsletter.urls")),
    path("temoignages/", include("ressourcerie.testimonials.urls")),
    path("api/v1/", include("ressourcerie.api.urls")),
    path("acteurs/", include("ressourcerie.directory.urls")),
    path("", include("ressourcerie.diagnostic.urls")),
    path("dons/", include("ressourcerie.donations.urls")),
    path("fonds/", include("ressourcerie.fund.urls")),
    path("agenda/", include("ressourcerie.agenda.urls")),
    path("gestion/admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "ressourcerie.core.views.permission_denied"
handler404 = "ressourcerie.core.views.page_not_found"
handler500 = "ressourcerie.core.views.server_error"
