"""The shared cache on Redis, which must never take a page down with it.

When Redis cannot be reached, every cache call falls back to a memory cache of this process and
the failure is logged (once a minute, not once a call); Redis is tried again after a short pause.
So with Redis down sign-in and the public list still work: pages are computed instead of read
from the cache, and the sign-in rate limit still counts, per process. `/healthz` asks `ping()`
and answers 503, so the outage is seen where it should be.
"""
import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0  # seconds without trying Redis after a failure: a page does not wait for it on every call
LOG_EVERY = 60.0
# A host that drops packets must not hang a request: connect and answer within half a second.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

_CACHE_METHODS = (
    "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear",
)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        self._fallback = LocMemCache(f"redis-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0
        self._logged_at = 0.0

    def ping(self) -> bool:
        """True when Redis answers now (the health check); never raises."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except UNREACHABLE as exc:
            self._failed(exc)
            return False

    def _failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._down_until = now + RETRY_AFTER
        if now - self._logged_at >= LOG_EVERY:
            self._logged_at = now
            log.error("Redis cache unreachable, using a per-process memory cache meanwhile: %s", exc)


def _resilient(name: str):
    redis_method = getattr(RedisCache, name)
    fallback_method = getattr(LocMemCache, name)

    def method(self, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return redis_method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self._failed(exc)
        return fallback_method(self._fallback, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = redis_method.__doc__
    return method


for _name in _CACHE_METHODS:
    setattr(ResilientRedisCache, _name, _resilient(_name))
