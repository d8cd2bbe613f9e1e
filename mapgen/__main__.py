"""Run the command line as `python -m mapgen`."""

import sys

from mapgen.cli import main

sys.exit(main())
