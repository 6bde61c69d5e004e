"""Who may finalize, reopen and post (DOMAIN §10, §13 ``access``)."""

from __future__ import annotations

from recon_tui.config import Config


class NotAllowed(Exception):
    """The config's access list for an action does not name the user (exit 2)."""


def require(config: Config, action: str, user: str) -> None:
    if not config.access.allows(action, user):
        raise NotAllowed(f"{user} may not {action}: access.{action} in {config.path} names "
                         f"{', '.join(getattr(config.access, action)) or 'nobody'}")
