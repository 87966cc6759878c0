"""Helper processes end when the process that started them dies, SIGKILL included (issue 16, finding 9).

A killed backfill cannot shut its pool down, and multiprocessing's helpers do not notice on their own: each
worker holds both ends of the pool's task queue, so it waits for work forever; the forkserver waits for its
workers; the resource tracker waits for every holder of its pipe. Each left about 60-200 MB behind for
minutes. Two guards, both cheap:

- ``die_with_parent``: Linux's parent-death signal (``prctl(PR_SET_PDEATHSIG)``, prctl(2)): the kernel
  sends SIGKILL when the *thread* that forked us exits. Used by workers, whose parent is the forkserver's
  single thread;
- ``watch``: a daemon thread waiting on a pidfd (pidfd_open(2), Linux >= 5.3; elsewhere it polls the pid
  once a second) that ends this process when the watched one exits. Used by the forkserver (whose parent
  thread may be any thread of the writer) and by workers (watching the writer itself).

With the forkserver and workers gone, the resource tracker sees the end of its pipe and exits by itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import select
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_SECONDS = 1.0


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel for ``sig`` when the parent thread exits; False where prctl is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() == 1:  # the parent died before the request: no signal will come
        os._exit(1)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_for_exit(pid: int) -> None:
    """Return once ``pid`` has exited."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        while _alive(pid):
            time.sleep(POLL_SECONDS)
        return
    try:
        select.select([fd], [], [])  # a pidfd becomes readable when its process exits
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)


def watch(pid: int) -> threading.Thread | None:
    """End this process (``os._exit(1)``: nothing is left to flush, the run's writer is gone) once process
    ``pid`` has exited. Returns the daemon thread, or None when ``pid`` is this process or already gone."""
    if pid in (0, 1, os.getpid()):
        return None
    if not _alive(pid):
        os._exit(1)

    def wait_then_exit() -> None:
        _wait_for_exit(pid)
        os._exit(1)

    thread = threading.Thread(target=wait_then_exit, name=f"lifeline-{pid}", daemon=True)
    thread.start()
    return thread
