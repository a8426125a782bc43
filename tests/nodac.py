"""Run a child process as root without root's power to ignore file modes.

Tests of unreadable files and folders need a permission error; root (as tests run in CI
containers) ignores modes. With CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped from the
bounding set before exec, the child (still uid 0) gets EACCES like anyone else.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from typing import Any

import pytest

# Linux capability numbers (linux/capability.h) and prctl's PR_CAPBSET_DROP.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def _drop() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
    """``subprocess.run`` of a Python child that obeys file modes; skips the test where root
    cannot be made to (a container without CAP_SETPCAP)."""
    preexec = _drop if os.geteuid() == 0 else None
    if preexec is not None:
        try:
            subprocess.run([sys.executable, "-c", ""], preexec_fn=preexec, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"cannot drop root's DAC override here: {exc}")
    return subprocess.run([sys.executable, *args], preexec_fn=preexec, capture_output=True,
                          text=True, **kwargs)
