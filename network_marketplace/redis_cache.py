"""Django's Redis cache, with one `redis.Redis` client per connection pool kept for the process.

Django builds a new `redis.Redis` for every cache operation (its `RedisCacheClient.get_client`),
and each one copies redis-py's table of some 170 response callbacks: about 0.2 ms of CPU per
lookup, twice per checkout (the settings row's stamp, the outbox nudge) and on every page that
reads the cache (issue 16). The client holds no connection of its own (its pool does, and the
pool is thread-safe and fork-aware), so one per pool serves every thread of the process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    # RedisCacheClient's own attributes, which django-stubs does not declare.
    _pools: dict[int, Any]
    _pool_class: Any
    _pool_options: dict[str, Any]
    _servers: list[str]
    _client: Any
    _get_connection_pool_index: Callable[[bool], int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ReusedClientRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache`, its clients kept (see the module)."""

    def __init__(self, server: Any, params: dict) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
