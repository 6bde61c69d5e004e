"""The QuickBooks link: IIF files out, QuickBooks' own reports in."""
