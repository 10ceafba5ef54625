from django.apps import AppConfig


class SavedSearchesConfig(AppConfig):
    name = "saved_searches"
    verbose_name = "Saved searches"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Saved searches decorate the search page through its extension seam (scoring never
        # imports this app): docs/architecture.md, "Search page extensions".
        from saved_searches.search_page import SavedSearchExtension
        from scoring.extensions import register

        register(SavedSearchExtension())
