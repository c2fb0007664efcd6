"""awesome-monitor: keeps curated awesome lists honest."""

__version__ = "0.1.0"
