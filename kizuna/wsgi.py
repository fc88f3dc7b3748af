"""WSGI entry point (gunicorn kizuna.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
application = get_wsgi_application()

# Import every view now, at start, rather than in the first request a process serves (seconds of work: the
# first visitor of a fresh server would wait for it, and a health check could time out).
get_resolver().url_patterns  # noqa: B018

# Everything loaded so far (modules, URL patterns, settings) lives as long as the process: keep it out
# of the garbage collector's full passes, which otherwise walk it again during large pages.
gc.freeze()
