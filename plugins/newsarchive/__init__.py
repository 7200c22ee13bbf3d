"""News archive: clean raw article pages, date them, deduplicate them, archive them as Parquet.

Nothing here imports Airflow: the DAG, the command line and the tests call the same stage code.
"""

__version__ = "0.1.0"
PIPELINE_VERSION = __version__
