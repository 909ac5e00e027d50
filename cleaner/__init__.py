r"""cleaner: clean scraped news text without eating the article.

>>> from cleaner import clean
>>> clean("Boston’s mayor said no.\nAdvertisement\nThe vote is in May.\n")
'Boston’s mayor said no.\nThe vote is in May.\n'
"""

from __future__ import annotations

from .config import Config, ConfigError
from .core import clean, clean_and_explain
from .model import Hit, Result
from .rules import RuleError, RuleSet, load_rules

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Hit",
    "Result",
    "RuleError",
    "RuleSet",
    "__version__",
    "clean",
    "clean_and_explain",
    "load_rules",
]
