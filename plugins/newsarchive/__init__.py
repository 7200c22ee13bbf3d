"""News archive: clean raw article pages, date them, deduplicate them, archive them as Parquet.

Nothing here imports Airflow: the DAG, the command line and the tests call the same stage code.
"""

import os
import tempfile

__version__ = "0.2.0"
PIPELINE_VERSION = __version__


def _numba_cache_dir() -> None:
    """numba caches compiled kernels beside the source; a read-only checkout (or another user's)
    cannot take them, and numba then fails at import ("cannot cache function"). Use a per-user
    cache folder instead, unless the user chose one."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return
    here = os.path.dirname(os.path.abspath(__file__))
    cache = os.path.join(here, "__pycache__")
    if os.access(cache if os.path.isdir(cache) else here, os.W_OK):
        return
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for folder in (os.path.join(base, "newsarchive", "numba"),
                   os.path.join(tempfile.gettempdir(), f"newsarchive-numba-{os.getuid()}")):
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            os.environ["NUMBA_CACHE_DIR"] = folder
            return


_numba_cache_dir()
