"""The app in a web browser (DOMAIN §15): textual-serve runs ``recon-tui --db DB --config CONFIG``,
the very command a terminal user runs, once per browser tab, so every tab is its own process on the
same database and §10's race rules hold with nothing added here.

What this module adds to textual-serve's Server is the door:

- a token (``serve.token`` or ``$RECON_TUI_TOKEN``), when set, on every request: ``?token=`` once,
  then an HttpOnly, SameSite=Strict cookie; anything else is 401 before any handler runs, so no app
  process starts; tokens are compared in constant time;
- without a token the server is on a loopback address only (the CLI refuses any other), and then
  answers only to a loopback Host name, so a web page on another site cannot reach it through DNS
  rebinding; a websocket opened by a page of another origin is refused either way;
- the page's script and websocket URLs follow the address the browser used (its Host header), so an
  SSH tunnel on another port works;
- no access log (its request lines would carry ``?token=``) and a log filter that blanks the token
  out of every other log line; the URL with the token is printed only to a terminal.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import re
import shlex
import signal
import socket
import sys
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

TOKEN_ENV = "RECON_TUI_TOKEN"
COOKIE = "recon_tui_token"
_HOST_HEADER = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1); a name that merely resolves to one does
    not count: what it resolves to can change."""
    host = host.strip("[]")
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(db: Path, config: Path) -> str:
    """The shell command textual-serve runs per browser tab: this program, on this database and config."""
    return shlex.join([sys.executable, "-m", "recon_tui", "--db", str(db.resolve()), "--config",
                       str(config.resolve())])


def browser_url(host: str, port: int, token: str | None) -> str:
    """The address to open; on a wildcard address, this machine's name."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")


def _host_name(host_header: str) -> str:
    """``[::1]:8000`` -> ``::1``, ``localhost:8000`` -> ``localhost``."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0]
    return host_header.partition(":")[0]


def _secure(request: web.Request) -> bool:
    """https to the browser: directly, or through a TLS reverse proxy that says so."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def cookie_value(token: str) -> str:
    """What the cookie holds: derived from the token (it opens this server, but never shows the token
    itself, and is plain hex whatever characters the token has)."""
    return hmac.new(token.encode("utf-8"), b"recon-tui serve cookie", "sha256").hexdigest()


class _HideToken(logging.Filter):
    """Blanks the token out of a log line, its arguments and its traceback."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        record.msg, record.args, record.exc_text = message.replace(self.token, "[token]"), None, None
        return True


class StudioServer(Server):
    """textual-serve's Server with the token check, Host-following URLs and token-free logs."""

    def __init__(self, command: str, *, host: str, port: int, token: str | None, title: str,
                 say: Callable[[str], None] = lambda text: print(text, flush=True)):
        super().__init__(command, host=host, port=port, title=title)
        self.token = token
        self.say = say  # where the address to open is printed (the terminal of whoever started it)
        self._tabs: set[asyncio.Task] = set()  # the websocket handlers running now, one per open tab

    # -- logs ------------------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        """Plain lines on stderr, the token blanked out (no tracebacks with locals: they show values)."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
        if self.token:
            handler.addFilter(_HideToken(self.token))
        logging.basicConfig(level=logging.DEBUG if self.debug else logging.INFO, handlers=[handler], force=True)

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo and the command here; the address is said once listening."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C with tabs open: end their websockets now (each tells its app to quit, and waits for
        it), rather than after aiohttp's shutdown timeout."""
        tabs = [tab for tab in self._tabs if tab is not asyncio.current_task()]
        for tab in tabs:
            tab.cancel()
        await asyncio.gather(*tabs, return_exceptions=True)

    # -- the door ----------------------------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.insert(0, self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        """Every request passes here first: a refused one never reaches textual-serve (no app starts)."""
        host = request.headers.get("Host", "")
        if not _HOST_HEADER.match(host):
            raise web.HTTPBadRequest(text="400: bad Host header\n")
        if self.token is None and not is_loopback(_host_name(host)):  # DNS rebinding
            raise web.HTTPForbidden(text="403: without a token this server answers only to 127.0.0.1 or localhost\n")
        given = request.query.get("token")
        if self.token is not None and not (_same(given, self.token) if given is not None
                                           else _same(request.cookies.get(COOKIE), cookie_value(self.token))):
            raise web.HTTPUnauthorized(text="401: open the address `recon-tui serve` printed (it ends in ?token=...)\n",
                                       headers={"Cache-Control": "no-store"})
        if request.path == "/ws":
            origin = request.headers.get("Origin")  # browsers always send it; a page elsewhere is refused
            if origin is not None and urlsplit(origin).netloc.lower() != host.lower():
                raise web.HTTPForbidden(text="403: a page of another site may not open this app\n")
            tab = asyncio.current_task()  # a tab: its app ends with it, or at shutdown (on_shutdown)
            self._tabs.add(tab)
            try:
                return await handler(request)
            finally:
                self._tabs.discard(tab)
        response = await handler(request)
        if not response.prepared:
            if self.token is not None and given is not None:  # ?token= once, then the cookie
                response.set_cookie(COOKIE, cookie_value(self.token), httponly=True, samesite="Strict", path="/",
                                    secure=_secure(request) or None)
            response.headers["Referrer-Policy"] = "no-referrer"  # the page's address may hold the token
            response.headers["Cache-Control"] = "no-store"
        return response

    # -- the page: URLs on the address the browser used -------------------------------------------

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's page, with its script and websocket URLs on the request's Host (and
        https/wss behind a TLS proxy that says X-Forwarded-Proto: https)."""
        secure = _secure(request)
        address = request.headers["Host"]  # checked by the guard
        static = str(request.app.router["static"].url_for(filename="/")).rstrip("/")
        websocket = request.app.router["websocket"].url_for()
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{'wss' if secure else 'ws'}://{address}{websocket}",
            "config": {"static": {"url": f"{'https' if secure else 'http'}://{address}{static}/"}},
            "application": {"name": self.title},
        }

    # -- running -----------------------------------------------------------------------------------

    def serve(self, debug: bool = False) -> None:
        """Listen until Ctrl+C or SIGTERM; the address to open is said once the socket is bound
        (``--port 0``: the port the system chose)."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):
                pass
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=3.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            self.port = runner.addresses[0][1]
            self.say(self.address_text())
            await stop.wait()
        finally:
            await runner.cleanup()

    def address_text(self) -> str:
        show_token = self.token is not None and sys.stdout.isatty()  # a log file or journal never gets it
        url = browser_url(self.host, self.port, self.token if show_token else None)
        if self.token is not None and not show_token:
            url += "?token=<serve.token in the config, or $RECON_TUI_TOKEN>"
        lines = [f"recon-tui serve: open {url}", f"  each browser tab runs its own app ({self.title}); Ctrl+C stops"]
        if self.token is None:
            lines.insert(1, f"  listening on {self.host} only: from another machine, use an SSH tunnel")
        return "\n".join(lines)
