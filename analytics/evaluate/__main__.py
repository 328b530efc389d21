"""`python -m analytics.evaluate`: see analytics.evaluate."""
import sys

from analytics.evaluate import main

sys.exit(main())
