"""Second-core worker: ``python -m louise.planning.worker DIR PARENT_PID`` runs one more seed.

It searches in the fleet-first style (short normal phase, long route elimination) while
the main process balances vehicles and distance: a two-member portfolio, not two copies.
Every smaller fleet it finds goes to a file at once, where the main process picks it up
to polish (``search.run``).

A plain subprocess instead of ``multiprocessing`` because spawn re-imports the caller's
``__main__`` (a Django management command, a script without a main guard) and fork is
unsafe in a threaded web process. Input and output are pickles of plain data.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import shutil
import signal
import sys
import threading
import time

from .search import FLEET_FIRST, run
from .solve_pyvrp import FLEET, INPUT, OUTPUT

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def main(workdir: str, parent: int) -> None:
    """Files rather than stdout: a library logging to stdout cannot corrupt the result."""
    try:
        _end_with_parent(workdir, parent)
        with open(os.path.join(workdir, INPUT), "rb") as fh:
            data, costs, seed, deadline, idle = pickle.load(fh)
        seconds = max(0.05, deadline - time.monotonic())  # see solve_pyvrp.solve_free
        result = run(data, seed, seconds, idle, style=FLEET_FIRST,
                     share=os.path.join(workdir, FLEET), costs=costs)
        with open(os.path.join(workdir, OUTPUT), "wb") as fh:
            pickle.dump(result, fh)
    finally:
        if os.getppid() != parent:  # orphaned: nobody else will remove the files
            shutil.rmtree(workdir, ignore_errors=True)


def _end_with_parent(workdir: str, parent: int) -> None:
    """A search nobody waits for is wasted: when the parent dies (a killed web worker),
    this process gets SIGTERM. The handler removes the files and exits at once: an
    exception raised there would have to cross PyVRP's C++ search loop, which may end the
    process without running any ``finally``. Linux sends the signal itself
    (``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent's id."""
    signal.signal(signal.SIGTERM, lambda *_: _abandon(workdir))
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the signal was arranged
        _abandon(workdir)


def _abandon(workdir: str) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
