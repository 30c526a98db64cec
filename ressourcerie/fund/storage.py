"""Where the fund's documents live: outside the web root (``FUND_DOCUMENTS_DIR``), never
served by the static or media server; views stream them to those allowed."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage without URL whose folder is read from the settings at each use
    (Django builds a field's storage once, at import: a setting overridden later — in tests,
    or by a deployment's environment read after import — must still apply)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.FUND_DOCUMENTS_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage():
    return PrivateStorage()
