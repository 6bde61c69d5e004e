"""Reusable widgets of the reconciliation screens."""
