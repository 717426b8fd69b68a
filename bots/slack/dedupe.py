"""Remember recently handled Slack events so a retried delivery is answered only once.

Slack retries an event (with `X-Slack-Retry-Num`) when the first delivery was not
acknowledged in 3 s; the same message can also arrive as two event types. Keys are the
envelope's `event_id` and the message's `channel:ts`; the memory is bounded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class Deduper:
    def __init__(self, max_keys: int = 10_000) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._max_keys = max_keys
        self._lock = threading.Lock()

    def first_time(self, *keys: str | None) -> bool:
        """True if none of the (non-empty) keys was seen before; remembers them all."""
        keys = tuple(k for k in keys if k)
        with self._lock:
            if any(k in self._seen for k in keys):
                return False
            for key in keys:
                self._seen[key] = None
            while len(self._seen) > self._max_keys:
                self._seen.popitem(last=False)
            return True
