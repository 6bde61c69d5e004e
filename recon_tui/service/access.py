"""Who may finalize, reopen and post (DOMAIN §10, §13 ``access``).

A guard against mistakes by colleagues sharing the machine, not security: whoever can edit the
config or the database file can do anything."""

from __future__ import annotations

from recon_tui.config import Config


class NotAllowed(Exception):
    """The config's access list for an action does not name the user (exit 2, nothing written).

    ``str()`` names the user, the key and the config file; ``reason`` is the short form a screen's
    status line shows."""

    def __init__(self, user: str, action: str, allowed: tuple[str, ...], config_path: object) -> None:
        self.user, self.action, self.allowed, self.config_path = user, action, allowed, config_path
        super().__init__(f"{user} may not {action}: access.{action} in {config_path} lists {self.listed}")

    @property
    def listed(self) -> str:
        return ", ".join(self.allowed) if self.allowed else "nobody"

    @property
    def reason(self) -> str:
        return f"{self.user} may not {self.action} (access.{self.action} lists {self.listed})"


def refusal(config: Config, action: str, user: str) -> NotAllowed | None:
    """Why ``user`` may not ``action``; None: they may (no list for it is everyone)."""
    if config.access.allows(action, user):
        return None
    return NotAllowed(user, action, getattr(config.access, action) or (), config.path)


def require(config: Config, action: str, user: str) -> None:
    refused = refusal(config, action, user)
    if refused is not None:
        raise refused
