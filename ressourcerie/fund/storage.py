"""Where the fund's documents live: outside the web root (``FUND_DOCUMENTS_DIR``), never
served by the static or media server; views stream them to those allowed."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    return FileSystemStorage(location=settings.FUND_DOCUMENTS_DIR, base_url=None)
