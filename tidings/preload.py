"""Imported by the process pool's fork server, before it forks any worker (tidings/workers.py).

Importing this module loads everything coding needs, once: the spaCy model, the knowledge
base and its matchers, the gazetteer, the decide stage's model. Every worker forked from the
server then starts with all of it in memory (shared copy-on-write) instead of spending seconds
loading its own copy. ``gc.freeze()`` moves what was loaded out of the collector's reach, so
collections in the workers do not write to (and so copy) those shared pages.

A failure here must not kill the fork server: the workers would then fail to start with a
message about the server, not about the cause. The error is logged, and each worker loads for
itself, where the cause surfaces as the task's own error.
"""

from __future__ import annotations

import gc
import logging
import os

from tidings import executors

# The process that loaded the coder: a worker whose pid differs shares what this one loaded.
LOADED_BY = os.getpid()

try:
    executors.warm()
except Exception:  # noqa: BLE001 - see the module docstring
    logging.getLogger(__name__).exception("preloading the coder failed")
gc.freeze()
