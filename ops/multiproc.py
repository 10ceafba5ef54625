"""Where prometheus-client's multiprocess mode keeps its files (one set per process).

Read by the settings (which export it before anything imports prometheus_client) and by the
gunicorn master's hooks, which never load the settings. Standard library only.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def multiproc_dir() -> Path:
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if configured:
        return Path(configured)
    var_dir = Path(os.environ.get("HRFLOW_DASH_VAR_DIR") or str(BASE_DIR / "var"))
    return var_dir / "prometheus"


def export_multiproc_dir() -> Path:
    """Create the folder and set PROMETHEUS_MULTIPROC_DIR for this process and its children."""
    path = multiproc_dir()
    path.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def wipe(path: Path | None = None) -> None:
    """Remove the files of processes that are gone (call before a node's processes start)."""
    for item in (path or multiproc_dir()).glob("*.db"):
        item.unlink(missing_ok=True)
