from django.apps import AppConfig


class CompareConfig(AppConfig):
    name = "compare"
    verbose_name = "Candidate matrix"

    def ready(self) -> None:
        # The top bar's "Compare candidates" and the search page's "Compare with other
        # candidates" come through the search page's extension seam (scoring never imports
        # this app): docs/architecture.md, "Search page extensions".
        from compare.search_page import CompareExtension
        from scoring.extensions import register

        register(CompareExtension())
