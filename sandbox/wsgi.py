import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

application = get_wsgi_application()


def _warm_engine() -> None:
    """Build the scoring index at start-up, so no request pays for it.

    Under `gunicorn --preload` this runs once in the master and the workers share the arrays
    copy-on-write. The connection is closed before the fork: SQLite handles must not be shared.
    """
    from django.db import connections

    from sandbox.engine.state import get_state

    try:
        get_state()
    except Exception:  # an unmigrated database still has to serve /v1/health
        logging.getLogger("sandbox").warning("sandbox: engine warm-up skipped", exc_info=True)
    finally:
        connections.close_all()


if os.environ.get("SANDBOX_WARM_ENGINE", "1") != "0":
    _warm_engine()
