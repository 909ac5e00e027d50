"""pytest configuration for the doctests under cleaner/ (tests/ has its own conftest)."""

import importlib.util

# The datatrove step raises a clear ImportError without its extra; do not collect it then.
collect_ignore = [] if importlib.util.find_spec("datatrove") else ["cleaner/integrations/datatrove.py"]
