"""`recon-tui serve` (DOMAIN §15): the same app in a browser through textual-serve, behind a token.

Each test that needs a server starts `python -m recon_tui serve --port 0` in a subprocess (the port the
system chose is read from the line it prints) and always kills it; requests go through aiohttp's client,
and the app is driven through textual-serve's websocket as its page script does (["resize", ...] and
["stdin", ...] as JSON text; the terminal's output comes back as binary frames)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import queue
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest

from recon_tui import cli
from recon_tui.cli import main
from recon_tui.serve import COOKIE, TOKEN_ENV, _HideToken, cookie_value, is_loopback

ROOT = Path(__file__).resolve().parent.parent
WORKED_DIR = ROOT / "tests" / "fixtures" / "worked_example"
WORKED_CFG = ROOT / "tests" / "fixtures" / "worked_example.yaml"
TOKEN = "k3Y-only-for-tests-9f2c4e1b7a"
START_TIMEOUT = 10.0


@pytest.fixture(scope="module")
def studio(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The worked example's database, its config, and the same config with serve.token set."""
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "worked.db"
    assert main(["import", str(WORKED_DIR), "--db", str(db), "--config", str(WORKED_CFG)]) == 0
    with_token = folder / "with-token.yaml"
    with_token.write_text(WORKED_CFG.read_text() + f"\nserve:\n  token: {TOKEN}\n")
    return db, WORKED_CFG, with_token


class Served:
    """A `recon-tui serve` subprocess: its port and everything it wrote, line by line."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.proc = subprocess.Popen([sys.executable, "-m", "recon_tui", "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [threading.Thread(target=self._read, args=(stream, into), daemon=True)
                        for stream, into in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for reader in self.readers:
            reader.start()
        self.port = self._wait_for_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def _read(self, stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)
            self.lines.put(line)

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            found = re.search(r"open http://[^:/]+:(\d+)/", line)
            if found:
                return int(found.group(1))
        self.stop()
        raise AssertionError(f"the server did not start: {''.join(self.out + self.err)}")

    def children(self) -> list[int]:
        """The app processes the server runs now (one per open websocket)."""
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def stop(self) -> str:
        """Stops it (SIGTERM, then SIGKILL) and returns everything it wrote."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=8)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        for reader in self.readers:
            reader.join(timeout=5)
        return "".join(self.out) + "".join(self.err)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (TOKEN_ENV, "TEXTUAL_DRIVER")}
    return {**env, **extra}


@contextmanager
def served(*args: str | Path, **env: str):
    server = Served([str(a) for a in args], _env(**env))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def open_server(studio):
    """A server without a token (on 127.0.0.1)."""
    db, cfg, _ = studio
    with served("--db", db, "--config", cfg) as server:
        yield server


@pytest.fixture(scope="module")
def token_server(studio):
    """A server whose config sets serve.token."""
    db, _, cfg = studio
    with served("--db", db, "--config", cfg) as server:
        yield server
    assert TOKEN not in server.stop()  # every request the tests made, with and without it: no line shows it


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=20))


def session(**kwargs) -> aiohttp.ClientSession:
    # unsafe: keep cookies of an IP address (127.0.0.1); aiohttp's jar drops them otherwise
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), **kwargs)


async def _get(url: str, **kwargs) -> tuple[int, str, dict]:
    async with session() as http, http.get(url, allow_redirects=False, **kwargs) as response:
        return response.status, await response.text(), dict(response.headers)


async def _ws_status(url: str, **kwargs) -> int:
    """The status of a websocket handshake (101 when it opens)."""
    async with session() as http:
        try:
            async with http.ws_connect(url, **kwargs):
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def _screen_text(http: aiohttp.ClientSession, url: str, *wanted: bytes, keys: str = "") -> bytes:
    """Opens the websocket as the page does and reads the terminal output until every ``wanted`` is in it."""
    output = b""
    async with http.ws_connect(url + "/ws?width=100&height=30") as ws:
        await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        if keys:
            await ws.send_str(json.dumps(["stdin", keys]))
        deadline = time.monotonic() + 10
        while not all(w in output for w in wanted) and time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=1)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                output += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
    return output


# -- the page, the app ----------------------------------------------------------------------------------

def test_the_page_is_textual_serves_page_on_the_address_used(open_server):
    status, html, headers = run(_get(open_server.base + "/"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'data-session-websocket-url="ws://127.0.0.1:{open_server.port}/ws"' in html
    assert f"http://127.0.0.1:{open_server.port}/static/js/textual.js" in html
    assert "recon-tui: Worked Example Studio" in html
    # through a tunnel on another port (or a name): the URLs follow the Host the browser sent
    status, html, _ = run(_get(open_server.base + "/", headers={"Host": "localhost:18000"}))
    assert status == 200
    assert 'data-session-websocket-url="ws://localhost:18000/ws"' in html
    assert "http://localhost:18000/static/js/textual.js" in html


def test_the_app_starts_in_the_browser_on_the_start_screen(open_server):
    async def go():
        async with session() as http:
            return await _screen_text(http, open_server.base, b"Worked Example Studio", b"Accounting method")
    output = run(go())
    assert b"Worked Example Studio" in output and b"Accounting method" in output
    deadline = time.monotonic() + 5  # the tab closed: its app process ends
    while open_server.children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert open_server.children() == []


def test_stopping_the_server_ends_the_open_tabs_apps(studio):
    db, cfg, _ = studio
    with served("--db", db, "--config", cfg) as server:
        async def stop_with_a_tab_open() -> tuple[list[int], float]:
            async with session() as http, http.ws_connect(server.base + "/ws") as ws:
                await ws.receive(timeout=10)  # the app is running
                apps = _descendants(server.proc.pid)
                reading = asyncio.create_task(_drain(ws))  # as a browser does: answers the close at once
                started = time.monotonic()
                server.proc.terminate()
                await asyncio.to_thread(server.proc.wait, 10)
                reading.cancel()
                return apps, time.monotonic() - started
        apps, took = run(stop_with_a_tab_open())
        assert server.proc.returncode == 0 and apps
        assert took < 3, took  # not aiohttp's shutdown timeout
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in apps) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in apps)


async def _drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    async for _ in ws:
        pass


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_the_tabs_app_is_this_program_on_this_database(open_server, studio):
    """textual-serve's command is `python -m recon_tui --db DB --config CONFIG` (absolute paths), and it
    sets the TEXTUAL_DRIVER that `recon-tui` with no command takes in place of a terminal."""
    from textual_serve.app_service import AppService

    from recon_tui.serve import app_command
    db, cfg, _ = studio
    command = app_command(db, cfg)
    assert command.split() == [sys.executable, "-m", "recon_tui", "--db", str(db.resolve()), "--config",
                               str(cfg.resolve())]
    service = AppService(command, write_bytes=None, write_str=None, close=None, download_manager=None)
    assert service._build_environment()["TEXTUAL_DRIVER"] == cli.WEB_DRIVER


def test_the_app_still_refuses_a_pipe_under_another_driver(capsys, studio, monkeypatch):
    db, cfg, _ = studio
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.linux_driver:LinuxDriver")
    assert main(["--db", str(db), "--config", str(cfg)]) == 2
    assert "the app needs a terminal" in capsys.readouterr().err


# -- safe by default ---------------------------------------------------------------------------------------

def _listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on ``port`` (/proc/net/tcp, hex little-endian)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                if len(address) == 8:
                    found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
                else:
                    found.add(address)
    return found


def test_it_listens_on_127_0_0_1_only_by_default(open_server):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux's /proc/net/tcp")
    assert _listening_addresses(open_server.port) == {"127.0.0.1"}


def test_without_a_token_it_answers_only_to_a_loopback_name(open_server):
    """A page of another site that points its own name at 127.0.0.1 (DNS rebinding) is refused, and so is
    a websocket opened by a page of another origin."""
    assert run(_get(open_server.base + "/", headers={"Host": f"evil.example:{open_server.port}"}))[0] == 403
    assert run(_get(open_server.base + "/", headers={"Host": "bad host"}))[0] == 400
    assert run(_ws_status(open_server.base + "/ws", headers={"Origin": "http://evil.example"})) == 403
    assert open_server.children() == []


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "studio-pc"])
def test_another_address_without_a_token_is_refused_in_one_line(capsys, studio, monkeypatch, host):
    db, cfg, _ = studio
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert main(["serve", "--host", host, "--db", str(db), "--config", str(cfg)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith(f"error: serve: --host {host} ")
    assert "serve.token" in err and TOKEN_ENV in err


def test_refused_in_a_real_process_too(studio):
    db, cfg, _ = studio
    proc = subprocess.run([sys.executable, "-m", "recon_tui", "serve", "--host", "0.0.0.0", "--db", str(db),
                           "--config", str(cfg)], capture_output=True, text=True, timeout=30, env=_env())
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: serve: --host 0.0.0.0")


def test_a_short_token_in_the_environment_is_refused(capsys, studio, monkeypatch):
    db, cfg, _ = studio
    monkeypatch.setenv(TOKEN_ENV, "short")
    assert main(["serve", "--db", str(db), "--config", str(cfg)]) == 2
    assert "at least 16 characters" in capsys.readouterr().err


def test_the_database_is_checked_before_serving(capsys, tmp_path):
    """--db before the command counts (as for every command), and a missing database is one line, exit 1."""
    missing = tmp_path / "none.db"
    assert main(["--db", str(missing), "--config", str(WORKED_CFG), "serve"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and str(missing) in err


def test_bad_ports_are_bad_arguments(capsys):
    for port in ("http", "70000", "-1"):
        assert main(["serve", "--port", port]) == 2
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and "--port" in err


def test_loopback_names():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.20", "studio-pc", "localhost.evil.example"))


# -- the token ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/static/js/textual.js", "/static/css/xterm.css"])
def test_without_the_token_every_request_is_401(token_server, path):
    for query in ("", "?token=wrong-token-of-some-length", f"?token={TOKEN[:-1]}"):
        status, body, _ = run(_get(token_server.base + path + query))
        assert status == 401, (path, query)
        assert TOKEN not in body
    status, _, _ = run(_get(token_server.base + path, cookies={COOKIE: "wrong-token-of-some-length"}))
    assert status == 401


def test_a_websocket_without_the_token_is_401_and_starts_no_app(token_server):
    assert run(_ws_status(token_server.base + "/ws")) == 401
    assert run(_ws_status(token_server.base + "/ws?token=wrong-token-of-some-length")) == 401
    assert run(_ws_status(token_server.base + "/ws", headers={"Cookie": f"{COOKIE}=nope-nope-nope-nope"})) == 401
    assert token_server.children() == []


def test_the_token_once_then_the_cookie(token_server):
    async def go():
        async with session() as http:
            async with http.get(f"{token_server.base}/?token={TOKEN}") as page:
                assert page.status == 200 and "text/html" in page.headers["Content-Type"]
                cookie = page.headers["Set-Cookie"]
                assert cookie.startswith(f"{COOKIE}={cookie_value(TOKEN)};") and TOKEN not in cookie
                assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
                assert page.headers["Referrer-Policy"] == "no-referrer"
            async with http.get(f"{token_server.base}/static/js/textual.js") as script:  # the cookie alone
                assert script.status == 200
            return await _screen_text(http, token_server.base, b"Worked Example Studio", b"Accounting method")
    output = run(go())
    assert b"Worked Example Studio" in output and b"Accounting method" in output


def test_with_a_token_the_urls_follow_any_host(token_server):
    status, html, _ = run(_get(f"{token_server.base}/?token={TOKEN}", headers={"Host": "studio-pc:8000"}))
    assert status == 200 and 'data-session-websocket-url="ws://studio-pc:8000/ws"' in html
    status, html, headers = run(_get(f"{token_server.base}/?token={TOKEN}",  # behind a TLS proxy
                                     headers={"Host": "office.example", "X-Forwarded-Proto": "https"}))
    assert status == 200 and 'data-session-websocket-url="wss://office.example/ws"' in html
    assert "Secure" in headers["Set-Cookie"]


def test_the_token_from_the_environment_and_never_in_the_output(studio):
    """$RECON_TUI_TOKEN counts like serve.token; not on a terminal, the printed address leaves the token
    out, there is no access log, and no line the server writes holds the token."""
    db, cfg, _ = studio
    env_token = "from-the-environment-0123456789"
    with served("--db", db, "--config", cfg, **{TOKEN_ENV: env_token}) as server:
        assert run(_get(server.base + "/"))[0] == 401
        assert run(_get(f"{server.base}/?token={env_token}"))[0] == 200
        assert run(_get(f"{server.base}/?token={env_token}x"))[0] == 401
        assert run(_ws_status(f"{server.base}/ws?token={env_token}x")) == 401

        async def tab_environments() -> list[bytes]:  # the tab's app processes, while the tab is open
            async with session() as http, http.ws_connect(f"{server.base}/ws?token={env_token}") as ws:
                await ws.receive(timeout=10)
                return [_environ(pid) for pid in _descendants(server.proc.pid)]
        environments = run(tab_environments())
        assert environments and any(b"TEXTUAL_DRIVER=" in e for e in environments)
        assert not any(env_token.encode() in e for e in environments)  # the app never sees the token
        output = server.stop()
    assert env_token not in output
    assert "?token=<serve.token in the config, or $RECON_TUI_TOKEN>" in output
    assert "GET /" not in output  # no access log


def _descendants(pid: int) -> list[int]:
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return children + [d for c in children for d in _descendants(c)]


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def test_the_log_filter_blanks_the_token_out():
    record = logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, "bad request %s", (f"/?token={TOKEN}",),
                               None)
    try:
        raise ValueError(f"token={TOKEN}")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert _HideToken(TOKEN).filter(record)
    line = logging.Formatter().format(record)
    assert TOKEN not in line and "/?token=[token]" in line and "ValueError: token=[token]" in line
