"""Named moments where the crash tests kill the process (tests/test_integrity.py).

``reach(name)`` does nothing unless the environment variable RECON_TUI_CRASH_AT names that
moment; then the process kills itself with SIGKILL on the spot, as a power cut or ``kill -9``
would, so the tests show what is left on disk by a real crash at a chosen point (not a mock).
"""

from __future__ import annotations

import os
import signal

VARIABLE = "RECON_TUI_CRASH_AT"


def reach(name: str) -> None:
    if os.environ.get(VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
