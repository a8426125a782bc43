"""Predicates and their arguments → PLOVER/CAMEO events (the events stage).

Modules, from the tables to the stage:

- ``lexicon``: the pattern tables and their conditions (which predicate codes what);
- ``arguments``: who acts and on whom (subjects, objects, fallbacks, located sources);
- ``modality``: what a clause tells (happened, announced, refused, or not told as fact);
- ``triggers``: the predicates of a sentence that match a pattern row;
- ``candidates``: every proposed coding with the rules' verdict (kept, or dropped and why);
- ``stage``: the steps in order, ``decide`` (where a learned scorer goes) and the events.
"""

from .candidates import Candidate
from .lexicon import NO_EVENT, Lexicon, Pattern, lexicon
from .stage import aim_at_place, decide, extract, extract_with_candidates, propose

__all__ = [
    "NO_EVENT", "Candidate", "Lexicon", "Pattern", "aim_at_place", "decide", "extract",
    "extract_with_candidates", "lexicon", "propose",
]
