"""Pure accounting over rows and totals: the figures of a period (§5-7), the posting rules (§8), the
diagnosis (§9) and the saved record's format (§10).

Nothing here reads the database or a file: the service fetches rows and totals through the store
and hands them in. Everything the screens show, the CLI can print.
"""
