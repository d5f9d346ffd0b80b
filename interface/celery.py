"""The Celery application, in the standard Django shape.

Every periodic job is declared in ``CELERY_BEAT_SCHEDULE`` in settings, so the schedule lives in code.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interface.settings")

app = Celery("interface")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
