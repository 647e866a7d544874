"""`python -m parley.learned train|crossval`: see training.py."""
import sys

from parley.learned.training import main

sys.exit(main())
