"""Writing an export to a file, for the command line and the app alike: whole or not at all,
and readable only by you when it holds listeners' contacts or the hosts' notes."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import BadInput, FileProblem, kind_of, why

USUAL = 0o666  # as the umask narrows it: what any other file the host writes gets


def write_export(path: Path, text: str, *, private: bool, overwrite: bool = True) -> int:
    """Write `text` to `path` as UTF-8 bytes (CSV keeps its CRLF rows); the size written.

    A private export is 0600 from its first byte, also where it replaces a file that was
    readable by others: the new file is written beside it and renamed over it. FileExistsError
    if the file is there and not `overwrite`; BadInput for a folder, FIFO or device;
    FileProblem naming the file when it cannot be written.
    """
    # here, not at the top: the store package loads TinyDB, which exporting needs not
    from ..store.files import PRIVATE, atomic_write

    # through a symbolic link the host named, to the file it names (the link stays)
    target = Path(os.path.realpath(path))
    try:
        found = target.stat()
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise FileProblem(f"{path}: cannot write it ({why(error)})") from error
    if found is not None and not overwrite:
        raise FileExistsError(errno.EEXIST, "the file exists", str(path))
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise BadInput(f"{path} is {kind_of(found.st_mode)}, not a file to write an export to")
    data = text.encode("utf-8")
    try:
        atomic_write(target, data, PRIVATE if private else USUAL)
    except OSError as error:
        raise FileProblem(f"{path}: cannot write it ({why(error)})") from error
    return len(data)
