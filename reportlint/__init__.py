"""reportlint: a proofreader for Chinese report text."""

__version__ = "0.1.0"
