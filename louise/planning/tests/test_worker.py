"""The second core's search process never outlives the planner that started it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# A planner process that starts the second-core search with a long deadline and then hangs.
PLANNER = """
import time
from louise.planning.solve_pyvrp import _start_worker
from louise.planning.tests.test_ruin import _line
worker = _start_worker(_line(), None, 1, time.monotonic() + 120, 10**9)
print(worker.proc.pid, worker.workdir, flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != "Z"


def test_the_search_process_dies_with_its_planner_and_removes_its_files():
    # given a planner whose second-core search runs (deadline in two minutes)
    planner = subprocess.Popen([sys.executable, "-c", PLANNER], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    pid, workdir = planner.stdout.readline().split()
    child = int(pid)
    try:
        time.sleep(3)  # it imports PyVRP and starts searching
        assert Path(workdir).is_dir()
        # when the planner is killed (no chance to clean up)
        planner.send_signal(signal.SIGKILL)
        planner.wait()
        # then the search ends within seconds and its temporary files are gone
        deadline = time.monotonic() + 15
        while (_alive(child) or Path(workdir).exists()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(child), "the search outlived its planner"
        assert not Path(workdir).exists(), "the search left its files behind"
    finally:
        planner.kill()
        if _alive(child):
            os.kill(child, signal.SIGKILL)
        planner.stdout.close()
