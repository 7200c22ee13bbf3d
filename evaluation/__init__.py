"""The project's evaluation harness: quality on the evaluation sets, on DEV and leave-sites-out.

Not part of the runtime package (`plugins/newsarchive`): it drives the project's command line in
subprocesses, as a user would, and scores the output with each set's own scorer. Run it as
`python -m evaluation [EVAL_DIR]` from the repo root (`make eval`); docs/evaluation.md.

    runner.py    subprocesses (the command line, scorers, baselines) with their CPU time
    sets.py      the sets as tasks: pages, site keys, how to run and score them
    folds.py     leave-sites-out folds (salted hash of the site key)
    tuning.py    tuned values found in Settings, and the pick for each held-out fold
    heldout.py   one task on DEV and leave-sites-out
    scoring.py   the scorers' output as tallies that add up across folds
    baselines.py trafilatura and htmldate, measured in the same run
    report.py    the tables
"""

import sys
from pathlib import Path

# The harness reads this checkout's Settings (to find tuned values) and site keys, whatever
# checkout the virtualenv's path file points at.
_PLUGINS = str(Path(__file__).resolve().parents[1] / "plugins")
if _PLUGINS not in sys.path:
    sys.path.insert(0, _PLUGINS)
