"""gunicorn settings of the dashboard's web process (Procfile `web`, and production).

    gunicorn hrflow_dash.wsgi --config python:hrflow_dash.gunicorn_conf --bind 127.0.0.1:8000

Sized for I/O: a dashboard request spends ~10 ms on the CPU and ~150-300 ms waiting on HrFlow
(up to the interactive read timeout when HrFlow hangs), so threads, not processes, carry the
concurrency. README "How the web tier is sized" gives the arithmetic. WEB_CONCURRENCY and
WEB_THREADS override the numbers without editing this file.
"""

import os

worker_class = "gthread"
# One process per core: the GIL lets one thread per process run Python at a time.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# More threads in all than recruiters the tier is sized for (50): even with every recruiter's
# search stuck on a hung HrFlow, a thread is free for the login or saved-searches page.
threads = int(os.environ.get("WEB_THREADS", "32"))
# Idle keep-alive connections hold no thread under gthread, so browsers may keep them.
keepalive = 5
# A thread blocked on HrFlow is bounded by the client's timeouts (seconds), far below this.
timeout = 60
graceful_timeout = 30
# gunicorn >= 23 opens a control socket at $HOME/.gunicorn/gunicorn.ctl by default: every
# gunicorn of the user (web, sandbox, a second checkout) would share, and take over, that one
# path. Nothing here uses gunicornc, so there is none.
control_socket_disable = True


# --- Hooks of the ops app (issue 11) ---------------------------------------------------------


def post_worker_init(worker):
    """Probes (/healthz, /readyz, /metrics) stay out of the access log unless LOG_LEVEL=DEBUG."""
    from ops.gunicorn import quiet_access_log

    quiet_access_log()


def child_exit(server, worker):
    """prometheus-client multiprocess mode: a dead worker's files stop counting as live."""
    from ops.gunicorn import child_exit as mark_dead

    mark_dead(worker)
