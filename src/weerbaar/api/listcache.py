"""Answers of the API's register lists, kept by each worker until the municipality's data changes.

Integrations read the same lists over and over (every few minutes, page after page), and a list
costs several times a simple call even when built in two queries (``api.lists``). So a worker
keeps the JSON of a list answer under a key of the municipality, its data versions
(:mod:`weerbaar.core.dataversion`: the database gives a new version with every write to the
tables behind the lists, whatever wrote it), the path and the query. A later identical request
costs one small query for the versions; after any write the key is new and the list is built
again. The versions are read before the rows, so a kept answer is never older than its key.

Only for answers that depend on nothing but the municipality, the path and the query (not on
the member's role or themes). The store is per process, bounded in bytes
(``API_LIST_CACHE_BYTES``, least recently used out first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.conf import settings
from django.http import HttpResponse

from weerbaar.core import dataversion

from .renderers import CONTENT_TYPE


class _Store:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.max_bytes // 4:  # one huge page would push out everything else
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old) if old is not None else 0
            self._items[key] = body
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


store = _Store(settings.API_LIST_CACHE_BYTES)


def cached(request, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The answer ``build`` gives for this request: kept, or built now and kept if it is a 200."""
    organisation_id = request.organisation.pk
    versions = dataversion.current(organisation_id)
    query = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))
    key = (organisation_id, versions, request.path, query)
    body = store.get(key)
    if body is not None:
        return HttpResponse(body, content_type=CONTENT_TYPE)
    response = build()
    if response.status_code == 200 and not response.streaming:
        store.put(key, response.content)
    return response
