from urllib.parse import urlsplit

from django.conf import settings


def _tile_origin() -> str:
    if not settings.MAP_TILE_URL:
        return ""
    parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
    return f" {parts.scheme}://{parts.netloc}" if parts.netloc else ""


class SecurityHeadersMiddleware:
    """Strict Content-Security-Policy (no inline script, nothing from another host)
    and the headers Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' data:{_tile_origin()}; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(self), interest-cohort=()"
        )
        return response
