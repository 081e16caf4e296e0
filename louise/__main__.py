"""`python -m louise …` is the `louise` command (children use it: no script on PATH needed)."""

import sys

from louise.cli import main

sys.exit(main())
