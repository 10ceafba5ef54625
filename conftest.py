import os

# Tests run with DEBUG off, like production; they need a key but it signs nothing that lasts.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
# Tests use a throwaway var/ so they never touch the developer's `make run` state.
os.environ.setdefault("HRFLOW_DASH_VAR_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))
