from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ressourcerie.core.urls")),
    path("compte/", include("ressourcerie.accounts.urls")),
    path("outils/", include("ressourcerie.toolbox.urls")),
    path("", include("ressourcerie.newsletter.urls")),
    path("temoignages/", include("ressourcerie.testimonials.urls")),
    path("api/v1/", include("ressourcerie.api.urls")),
    path("acteurs/", include("ressourcerie.directory.urls")),
    path("", include("ressourcerie.diagnostic.urls")),
    path("dons/", include("ressourcerie.donations.urls")),
    path("gestion/admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "ressourcerie.core.views.permission_denied"
handler404 = "ressourcerie.core.views.page_not_found"
handler500 = "ressourcerie.core.views.server_error"
