"""The app itself: in this terminal (no command), or served to web browsers (``serve``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from recon_tui.cli_arguments import UsageError
from recon_tui.cli_commands.common import EXIT_ENV, Target, fail, open_service

#: what textual-serve (``recon-tui serve``) sets TEXTUAL_DRIVER to for each browser tab's app: its stdin
#: and stdout are then the pipe to the browser, not a terminal
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def cmd_app(args, target: Target) -> int:
    """The terminal UI on the studio's database (checked first, so a bad one is a one-line error)."""
    config = target.config
    open_service(target)
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and os.environ.get("TEXTUAL_DRIVER") != WEB_DRIVER:
        raise UsageError("recon-tui: the app needs a terminal (for scripts use the commands: see --help)")
    from recon_tui.tui import run

    run(config, target.database)
    return 0


def cmd_serve(args, target: Target) -> int:
    """The app in a web browser (DOMAIN §15): textual-serve runs this same program once per tab."""
    from recon_tui.serve import TOKEN_ENV, StudioServer, app_command, is_loopback

    config = target.config
    open_service(target)  # a bad database is one line now, not a broken page in every tab
    from_env = os.environ.pop(TOKEN_ENV, "")  # the tabs' app processes need not see it
    if from_env and len(from_env) < 16:
        raise UsageError(f"serve: ${TOKEN_ENV} must be at least 16 characters (a long random string)")
    token = from_env or config.serve_token
    if token is None and not is_loopback(args.host):
        raise UsageError(f"serve: --host {args.host} is reachable from other machines: set serve.token in "
                         f"{config.path} or ${TOKEN_ENV} first (or keep 127.0.0.1 and use an SSH tunnel)")
    command = app_command(target.database, Path(config.path))
    server = StudioServer(command, host=args.host, port=args.port, token=token,
                          title=f"recon-tui: {config.studio_name}")
    try:
        server.serve()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        return fail(f"serve: cannot listen on {args.host} port {args.port}: {reason}", EXIT_ENV)
    return 0
