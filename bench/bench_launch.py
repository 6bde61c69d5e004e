"""Benchmark (issue 18): process start to the start screen drawn, as a user sees it: the real
`recon-tui` command in a fresh detached tmux session at 80x24, from just before `tmux new-session`
to the first `tmux capture-pane` that shows the screen. Two moments per run:

- "Accounting method" first on screen (the start screen's first frame);
- the "Last finalized" line filled (the books read: not the placeholder "Last finalized: …").

For reference it also times bare imports in a fresh interpreter (`python -c ...`): Python alone,
`import textual.app`, `import recon_tui.tui.app`. Target: <= 0.4 s to the start screen on the
10-year studio. Builds that studio into --db when it is missing (`recon-tui demo --years 10
--orders-per-year 20000`, a minute or so). Prints a table (best and median); never run in CI.

    .venv/bin/python bench/bench_launch.py [--db bench/out/studio.db] [--config config/recon.yaml] [--runs 5]

The sessions live on a private tmux server (`tmux -L recon-bench-<pid>`), started once before the
runs and killed at the end, so its start-up is not in the times and no one else's sessions are touched.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RECON = BIN / "recon-tui"
TIMEOUT = 20.0  # seconds to wait for the start screen before giving up on a run
POLL = 0.005  # seconds between captures
PLACEHOLDER = "Last finalized: …"
FILLED = ("Last finalized: #", "No finalized reconciliation", "Database problem")


class LaunchTimeout(Exception):
    pass


def build_studio(db: Path, config: Path) -> None:
    print(f"{db} is missing: building the 10-year studio (a minute or so) ...", file=sys.stderr, flush=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    built = subprocess.run([str(RECON), "demo", "--db", str(db), "--config", str(config), "--years", "10",
                            "--orders-per-year", "20000"], cwd=ROOT, stdout=subprocess.DEVNULL)
    if built.returncode != 0:
        sys.exit(f"bench_launch: building {db} failed (exit {built.returncode}; its error is above)")


class Tmux:
    """A private tmux server (its own socket): one idle session keeps it up between runs."""

    def __init__(self) -> None:
        self.socket = f"recon-bench-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.started = False

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self) -> None:
        self("new-session", "-d", "-s", "keeper", "-x", "80", "-y", "24", "sleep 86400")
        self.started = True
        self("set-option", "-g", "remain-on-exit", "on")  # a command that fails leaves its words on screen
        self.socket_path = self("display-message", "-p", "#{socket_path}").stdout.strip()

    def stop(self) -> None:
        if self.started:
            self("kill-server", check=False)
            self.started = False
            if getattr(self, "socket_path", ""):  # tmux 3.3 leaves the socket file behind
                Path(self.socket_path).unlink(missing_ok=True)


def launch_once(tmux: Tmux, db: Path, config: Path, run: int) -> tuple[float, float]:
    """(seconds to "Accounting method" on screen, seconds to the "Last finalized" line filled)."""
    name = f"launch-{run}-{uuid.uuid4().hex[:8]}"
    command = shlex.join([str(RECON), "--db", str(db), "--config", str(config)])
    first = filled = None
    screen = ""
    t0 = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", "-c", str(ROOT), command)
    try:
        deadline = t0 + TIMEOUT
        while True:
            result = tmux("capture-pane", "-p", "-t", name, check=False)
            now = time.perf_counter()
            screen = result.stdout
            if first is None and "Accounting method" in screen:
                first = now - t0
            if first is not None and PLACEHOLDER not in screen and any(text in screen for text in FILLED):
                filled = now - t0
                return first, filled
            dead = "Pane is dead" in screen  # remain-on-exit: the command ended, its last words stay
            if now > deadline or dead:
                where = "the warm-up run" if run < 0 else f"run {run + 1}"
                why = "the command exited" if dead else f"no start screen after {TIMEOUT:.0f} s"
                raise LaunchTimeout(f"{where}: {why} ('Accounting method' {'seen' if first else 'never seen'}).\n"
                                    f"command: {command}\nlast capture:\n{screen.rstrip()}")
            time.sleep(POLL)
    finally:
        tmux("kill-session", "-t", name, check=False)


def bytecode_note() -> str:
    """Whether recon_tui's own modules load from cached bytecode: with PYTHONDONTWRITEBYTECODE set and no
    __pycache__ beside the sources (an editable install), every start compiles them all from source."""
    spec = importlib.util.find_spec("recon_tui")
    cached = spec is not None and spec.cached is not None and Path(spec.cached).exists()
    where = f" (PYTHONPYCACHEPREFIX={sys.pycache_prefix})" if sys.pycache_prefix else ""
    if cached:
        return f"bytecode: recon_tui loads from its .pyc{where}"
    why = "PYTHONDONTWRITEBYTECODE is set" if sys.flags.dont_write_bytecode else "not written yet"
    return f"bytecode: recon_tui has no .pyc ({why}): compiled from source on every start{where}"


def python_wall(code: str) -> float:
    t0 = time.perf_counter()
    safe = ["-P"] if sys.version_info >= (3, 11) else []  # not the cwd first: PYTHONPATH wins, as for recon-tui
    subprocess.run([sys.executable, *safe, "-c", code], cwd=ROOT, check=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "studio.db")
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "recon.yaml")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (best and median shown)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    db, config = args.db.resolve(), args.config.resolve()
    if not db.exists():
        build_studio(db, config)

    times: dict[str, list[float]] = {}
    tmux = Tmux()
    try:
        tmux.start()
        launch_once(tmux, db, config, -1)  # warm-up: the OS file cache, .pyc files (not counted)
        for run in range(args.runs):
            first, filled = launch_once(tmux, db, config, run)
            times.setdefault("recon-tui → start screen drawn (\"Accounting method\")", []).append(first)
            times.setdefault("recon-tui → \"Last finalized\" line filled", []).append(filled)
    except LaunchTimeout as exc:
        sys.exit(f"bench_launch: {exc}")
    except FileNotFoundError as exc:
        sys.exit(f"bench_launch: {exc.filename}: not found (tmux installed? the venv set up?)")
    finally:
        tmux.stop()

    for label, code in (("python -c pass (interpreter alone)", "pass"),
                        ("python -c 'import textual.app'", "import textual.app"),
                        ("python -c 'import recon_tui.tui.app'", "import recon_tui.tui.app")):
        python_wall(code)  # warm-up
        times[label] = [python_wall(code) for _ in range(args.runs)]

    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    print(f"launch to the start screen, tmux 80x24, {db.name} ({db.stat().st_size / 1e6:.0f} MB), "
          f"{args.runs} runs, {cores} cores ({usable} usable); target <= 0.400 s")
    print(bytecode_note())
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        busy = " (other work competes for the cores: times are inflated)" if load > 0.5 * (usable or 1) else ""
        print(f"load average (1 min) at the end: {load:.2f}{busy}")
    width = max(map(len, times)) + 2
    print(f"{'measure':<{width}} {'best':>9} {'median':>9}")
    for label, values in times.items():
        print(f"{label:<{width}} {min(values):7.3f} s {statistics.median(values):7.3f} s")


if __name__ == "__main__":
    main()
