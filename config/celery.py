"""Celery: tasks run in-process by default (no broker needed); production sets CELERY_BROKER_URL.

Every scheduled job is an idempotent sweep that is also a management command, so running it twice,
or by hand, is harmless.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("mostaql")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
