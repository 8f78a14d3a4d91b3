"""The general cache on Redis, forgiving: when Redis is down or slow, a read is a miss and a write
is skipped (logged), so a page that caches (the printable guides) is computed instead of failing.
The rate-limit counters use Django's plain RedisCache: django-ratelimit fails open on its own."""

import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNAVAILABLE: tuple[type[BaseException], ...] = (
        RedisConnectionError,
        RedisTimeoutError,
        OSError,
    )
except ImportError:  # pragma: no cover - the backend is only configured with the client
    UNAVAILABLE = (OSError,)


class ForgivingRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE:
            logger.warning("cache unavailable: %s read as a miss", key)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE:
            logger.warning("cache unavailable: %d keys read as misses", len(keys))
            return {}

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE:
            logger.warning("cache unavailable: %s not stored", key)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE:
            logger.warning("cache unavailable: %s not added", key)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE:
            logger.warning("cache unavailable: %s not deleted", key)
            return False
