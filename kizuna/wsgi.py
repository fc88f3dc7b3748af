"""WSGI entry point (gunicorn kizuna.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
application = get_wsgi_application()

# Everything loaded so far (modules, URL patterns, settings) lives as long as the process: keep it out
# of the garbage collector's full passes, which otherwise walk it again during large pages.
gc.freeze()
