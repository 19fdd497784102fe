"""Files that hold people's books stay theirs: folders 0700, files 0600, never written through a symlink.

The embedded database (with its WAL and shared-memory files), the key file and the outbox's PDFs (payment details,
tax ids) were created readable by every local user. The command line sets the umask to 077, so whatever the
process creates is private; these functions make the folders and tighten what an older version left open.
"""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)
PRIVATE_UMASK = 0o077


def private_folder(path: Path) -> Path:
    """Make ``path`` (and its missing parents) with mode 0700; an existing folder of ours open to others is closed."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(path, 0o700)
    return path


def private_file(path: Path) -> None:
    """Close an existing file of ours to other users (0600); nothing when it doesn't exist."""
    if path.exists():
        _tighten(path, 0o600)


def _tighten(path: Path, mode: int) -> None:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077 == 0:
        return  # a link, someone else's, or private already
    os.chmod(path, stat.S_IMODE(info.st_mode) & mode)
    log.warning("%s was readable by other users; it is now private (mode %o)", path,
                stat.S_IMODE(info.st_mode) & mode)


def write_new(folder: Path, name: str, content: bytes) -> Path:
    """Write ``content`` to a new file in ``folder``, 0600, never through a symlink and never over an existing
    file (a dangling link named like the file would have sent it outside the folder): ``name``, else
    ``stem-2.suffix``, ``stem-3.suffix``… The path written is returned."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    n = 1
    while True:
        candidate = folder / (name if n == 1 else f"{stem}-{n}{'.' + suffix if suffix else ''}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        return candidate
