"""Run code in a fresh interpreter with the real settings and a chosen environment: how a
server starts, without the test run's own settings and variables."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# 56 characters, many distinct: what `check --deploy` accepts as a real key.
REAL_KEY = "Zq3" + "x7Lp9w" * 9


def run_louise(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` (Python) with only the given LOUISE_* (and DATABASE_URL) variables set."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("LOUISE_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120,
                          env={**base, "DJANGO_SETTINGS_MODULE": "louise.settings", **env})
