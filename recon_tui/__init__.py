"""recon-tui: close a portrait studio's books each period against QuickBooks Desktop."""

__version__ = "0.1.0"
