from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"

    def ready(self) -> None:
        # Connects the request_finished receiver that writes the skills seen in results.
        from scoring import vocabulary  # noqa: F401
