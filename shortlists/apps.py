from django.apps import AppConfig


class ShortlistsConfig(AppConfig):
    name = "shortlists"
    verbose_name = "Shortlists and hidden jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The star, "Hide for this candidate", the hidden-job exclusion and the candidate panel's
        # shortlist link reach the search page through its extension seam (scoring never imports
        # this app): docs/architecture.md, "Search page extensions".
        from scoring.extensions import register
        from shortlists.search_page import ShortlistExtension

        register(ShortlistExtension())
