"""Second-core worker: ``python -m louise.planning.worker IN OUT`` runs one more seed.

It searches in the fleet-first style (short normal phase, long route elimination) while
the main process balances vehicles and distance: a two-member portfolio, not two copies.
Every smaller fleet it finds goes to a file at once, where the main process picks it up
to polish (``search.run``).

A plain subprocess instead of ``multiprocessing`` because spawn re-imports the caller's
``__main__`` (a Django management command, a script without a main guard) and fork is
unsafe in a threaded web process. Input and output are pickles of plain data.
"""

from __future__ import annotations

import pickle
import sys
import time

from .search import FLEET_FIRST, run


def main(src: str, dst: str) -> None:
    """Files rather than stdout: a library logging to stdout cannot corrupt the result."""
    with open(src, "rb") as fh:
        data, seed, deadline, idle, share = pickle.load(fh)
    seconds = max(0.05, deadline - time.time())
    result = run(data, seed, seconds, idle, style=FLEET_FIRST, share=share)
    with open(dst, "wb") as fh:
        pickle.dump(result, fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
