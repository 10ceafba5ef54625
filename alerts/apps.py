from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "E-mail alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The ledger is written inside the refresh run's transaction (saved_searches/signals.py).
        from alerts.services.ledger import record_refresh
        from saved_searches.signals import refresh_succeeded

        refresh_succeeded.connect(record_refresh, dispatch_uid="alerts.ledger")
