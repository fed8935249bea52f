"""Live updates over the channel layer, shared by the campaign monitor and the event live pages.

Three pieces, one per direction of travel:

* :mod:`.publisher` — sync code (a view, a signal after commit) hands a message for a group to
  :func:`publish` and goes on: a background thread per process sends it to the channel layer over
  one long-lived connection, and merges repeated change notices;
* :mod:`.hub` — in an ASGI process, the first WebSocket of a group subscribes *the process* to the
  group (one channel of its own); every message then arrives once per process and is handed to each
  local consumer, instead of once per open socket through Redis;
* :mod:`.coalescer` — turns a stream of "something changed" notices into at most one recomputation
  per key and second, delivered to the local consumers that watch that key.
"""

from .coalescer import Coalescer, per_loop
from .hub import encoded_once, hub
from .publisher import publish

__all__ = ["Coalescer", "encoded_once", "hub", "per_loop", "publish"]
