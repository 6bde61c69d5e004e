"""Files the program writes are put in place whole, or not at all (DOMAIN §10, README "What is
guaranteed"): written under a temporary name in the same folder, flushed to disk, then renamed
over the real name (``os.replace`` is atomic on one file system). A crash leaves either the old
file, or the new one, never a cut or empty one; the temporary name (``.NAME.PID.RANDOM.partial``)
is removed on any error, and one left by a killed process never has the real name."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from recon_tui.crashpoints import reach


def temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.partial")


@contextmanager
def whole_file(path: str | os.PathLike, encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """A file to write into (text; bytes when ``encoding`` is None); it takes ``path``'s name only
    when the block ends without error."""
    path = Path(path)
    temp = temporary_name(path)
    try:
        with (open(temp, "wb") if encoding is None else open(temp, "w", encoding=encoding, newline=newline)) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        reach("file:before-rename")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_whole(path: str | os.PathLike, data: str | bytes, encoding: str = "utf-8") -> Path:
    """``data`` (text, or bytes as they are) into ``path``, put in place whole."""
    with whole_file(path, None if isinstance(data, bytes) else encoding) as out:
        out.write(data)
    return Path(path)


#: where a process cannot be asked about (not POSIX): a temporary file untouched this long is stale
STALE_AFTER = 3600.0


def writer_gone(path: Path, pid: int) -> bool:
    """Whether process ``pid``, which wrote the temporary file ``path``, is gone (so the file is a
    crash's leftover). Another user's live process counts as alive."""
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False  # it exists (another user's process)
        return False
    try:
        return time.time() - path.stat().st_mtime > STALE_AFTER
    except OSError:
        return False

