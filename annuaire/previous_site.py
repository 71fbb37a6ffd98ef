"""The last build's site, deleted in the background while the next one is written.

MkDocs empties the site folder at the start of every build: at 1,000 places that is some
10,000 files and half a second, at 20,000 places five seconds, before any page is made. Like
MkDocs, this leaves what starts with a dot (a `.git` folder, `.nojekyll`); what MkDocs would
delete is renamed into one hidden folder instead (instant), which another process deletes while
the build goes on. The build waits for it before the site is indexed and published.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ASIDE = ".site-precedent"  # hidden: MkDocs leaves it when it empties the site folder
_DELETE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def set_aside(site_dir: Path) -> Callable[[], None]:
    """Move what MkDocs would delete from `site_dir` into `site_dir/.site-precedent`, deleted by a
    background process; return what waits until it is gone (and deletes it if the process could
    not)."""
    aside = site_dir / ASIDE
    shutil.rmtree(aside, ignore_errors=True)  # left by a build that was stopped
    entries = [name for name in os.listdir(site_dir) if not name.startswith(".")] if site_dir.is_dir() else []
    if not entries:
        return lambda: None
    aside.mkdir()
    for name in entries:
        os.replace(site_dir / name, aside / name)
    try:
        process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-c", _DELETE, str(aside)], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        process = None

    def wait() -> None:
        if process is not None:
            process.wait()
        shutil.rmtree(aside, ignore_errors=True)

    return wait
