import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrflow_dash.settings")

app = Celery("hrflow_dash")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
