"""The directory's reads, used by its views, the API and other parts (``directory.selectors``):
places, search near a point, freshness and who answers for a place in ``places.py``; the
association support its structures offer (the diagnostic's plan, the fund's matching) in
``support.py``."""

from .places import *  # noqa: F403
from .support import *  # noqa: F403
