"""`python -m rebond_core`: the command line (see spec/indicateurs.md)."""

import sys

from rebond_core.cli import main

sys.exit(main())
