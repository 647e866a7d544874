"""`python -m parley.extract.learned train|crossval`: see training.py."""
import sys

from parley.extract.learned.training import main

if __name__ == "__main__":
    sys.exit(main())
