"""The WSGI application of ``bench/throughput.py``: the platform, and on ``/_ceiling/`` a trivial
Django view (no middleware, no database, no template) served by the same gunicorn workers, so
that the ceiling and the pages are measured side by side on the same processes."""

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse

from ressourcerie.wsgi import application as site

CEILING_PATH = "/_ceiling/"


def trivial_view(request):
    return HttpResponse(b"ok", content_type="text/plain")


class CeilingHandler(WSGIHandler):
    """Django's own request/response cycle around one view, with no middleware at all."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = trivial_view


ceiling = CeilingHandler()


def application(environ, start_response):
    handler = ceiling if environ.get("PATH_INFO") == CEILING_PATH else site
    return handler(environ, start_response)
