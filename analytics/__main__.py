"""`python -m analytics …`: the command line of analytics.cli."""
import sys

from analytics.cli import main

sys.exit(main())
