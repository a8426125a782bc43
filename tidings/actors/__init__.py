"""Actor mentions in a parsed article: KB names, titles with dated holders, groups, coreference.

Modules: ``common`` (the Builder that owns tokens, the article's Work, phrase helpers),
``steps`` (the named-mention steps), ``coref`` (coreference), ``stage`` (the steps in order:
see its docstring).
"""

from ..model import Mention
from .common import outlet_country, outlet_voice
from .coref import reported_sayer
from .stage import STEPS, find_mentions

__all__ = ["STEPS", "Mention", "find_mentions", "outlet_country", "outlet_voice",
           "reported_sayer"]
