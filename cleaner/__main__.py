"""``python -m cleaner``: the same as the ``cleaner`` command."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":  # spawned pool workers import this module; they must not run main()
    raise SystemExit(main())
