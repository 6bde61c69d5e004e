"""`make test-browser`: `recon-tui serve` in a real browser (headless Chromium), not part of `make test`.

Starts the server on the worked example (a fresh database in a temporary folder) with a token, opens
the printed address with ?token=... in headless Chromium, waits until the app's first bytes arrived
over the websocket and its start screen is drawn, saves a screenshot and checks that it is not blank.
Chromium is driven through its DevTools protocol (a websocket, with aiohttp): `--screenshot` alone
takes the picture before a websocket app has drawn anything.

    python tests/browser_check.py [--out build/serve-screenshot.png] [--chromium chromium]

Exit 0 with the screenshot's path; 1 with what went wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import secrets
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
WORKED_DIR = ROOT / "tests" / "fixtures" / "worked_example"
WORKED_CFG = ROOT / "tests" / "fixtures" / "worked_example.yaml"
WIDTH, HEIGHT = 1200, 800


def start_server(db: Path, token: str) -> tuple[subprocess.Popen, int]:
    env = {**os.environ, "RECON_TUI_TOKEN": token}
    proc = subprocess.Popen([sys.executable, "-m", "recon_tui", "serve", "--port", "0", "--db", str(db),
                             "--config", str(WORKED_CFG)], stdout=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()  # "recon-tui serve: open http://127.0.0.1:PORT/?token=<...>"
    found = re.search(r"open http://[^:/]+:(\d+)/", line)
    if not found:
        proc.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return proc, int(found.group(1))


def start_chromium(chromium: str, profile: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--remote-debugging-port=0", f"--user-data-dir={profile}",
                             f"--window-size={WIDTH},{HEIGHT}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        found = re.search(r"DevTools listening on (ws://\S+)", line)
        if found:
            return proc, found.group(1)
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("chromium did not start (is it installed? apt-get install chromium)")


class DevTools:
    """The smallest client of Chromium's DevTools protocol: send a command, wait for its answer."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse):
        self.ws, self.next_id = ws, 0

    async def call(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        await self.ws.send_str(json.dumps(message))
        while True:
            answer = json.loads((await self.ws.receive(timeout=30)).data)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]


async def screenshot(browser_url: str, page_url: str, wait: float) -> tuple[bytes, dict]:
    async with aiohttp.ClientSession() as http, http.ws_connect(browser_url, max_msg_size=0) as ws:
        tools = DevTools(ws)
        target = (await tools.call("Target.createTarget", url="about:blank"))["targetId"]
        page = (await tools.call("Target.attachToTarget", targetId=target, flatten=True))["sessionId"]
        await tools.call("Emulation.setDeviceMetricsOverride", page, width=WIDTH, height=HEIGHT,
                         deviceScaleFactor=1, mobile=False)
        await tools.call("Page.navigate", page, url=page_url)
        state: dict = {}
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:  # until the app's first bytes have reached the terminal
            result = await tools.call("Runtime.evaluate", page, returnByValue=True, expression=(
                "({status: document.body ? document.body.className : '', title: document.title,"
                " intro: document.querySelector('.intro') ? document.querySelector('.intro').innerText : ''})"))
            state = result["result"].get("value") or {}
            if "-first-byte" in state.get("status", ""):
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.5)  # the start screen's worker fills it in; the page fades the terminal in
        shot = await tools.call("Page.captureScreenshot", page, format="png")
        return base64.b64decode(shot["data"]), state


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the pixels (RGB) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and not interlace, header
    size = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * size
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up, corner = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    pixels = [bytes(row[x:x + 3]) for row in rows for x in range(0, stride, size)]
    return width, height, pixels


def check_not_blank(data: bytes) -> str:
    width, height, pixels = png_pixels(data)
    counts: dict[bytes, int] = {}
    for pixel in pixels:
        counts[pixel] = counts.get(pixel, 0) + 1
    top = max(counts.values()) / len(pixels)
    if len(counts) < 16 or top > 0.97:
        raise SystemExit(f"the screenshot looks blank: {len(counts)} colours, the commonest covers {top:.0%}")
    return f"{width}x{height}, {len(counts)} colours, the commonest covers {top:.0%}"


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="build/serve-screenshot.png", help="where the screenshot goes")
    parser.add_argument("--chromium", help="the browser (default: chromium or chromium-browser on PATH)",
                        default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    parser.add_argument("--wait", type=float, default=20.0, help="seconds to wait for the app (default: 20)")
    options = parser.parse_args()
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="recon-browser-") as scratch:
        db = Path(scratch) / "worked.db"
        subprocess.run([sys.executable, "-m", "recon_tui", "import", str(WORKED_DIR), "--db", str(db), "--config",
                        str(WORKED_CFG)], check=True, capture_output=True)
        server, port = start_server(db, token)
        browser = None
        try:
            browser, devtools = start_chromium(options.chromium, Path(scratch) / "profile")
            image, state = asyncio.run(screenshot(devtools, f"http://127.0.0.1:{port}/?token={token}", options.wait))
        finally:
            for proc in (browser, server):
                if proc is not None:
                    _stop(proc)
    Path(options.out).parent.mkdir(parents=True, exist_ok=True)
    Path(options.out).write_bytes(image)
    if "-first-byte" not in state.get("status", ""):
        print(f"error: the app never drew in the page (page state: {state}); screenshot: {options.out}",
              file=sys.stderr)
        return 1
    print(f"screenshot {options.out}: {check_not_blank(image)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
