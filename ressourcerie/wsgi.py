import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ressourcerie.settings")
application = get_wsgi_application()
# Import every view now rather than on the first request.
get_resolver().check()

# Everything loaded so far (Django, the apps, the URL map…) lives as long as the process.
# Moving it out of the collector's reach keeps full collections short: on the 2-core
# reference machine they paused a request 60–100 ms, now 3–7 ms (bench/toolbox_search.py).
# With a pre-forking server it also keeps those pages shared between the workers.
gc.freeze()
