"""Reading StoneBridge defaults: the one accessor every app uses."""

from django.core.cache import cache

from .models import Default, Key

CACHE_KEY = "stonebridge.defaults"
# Without a shared cache (no REDIS_URL) each process keeps its own copy: a change made through
# another process reaches it within this time.
CACHE_SECONDS = 60


def value(key: Key) -> int:
    """The value in use for this key. A key with no row is a programming error (KeyError)."""
    values: dict[str, int] | None = cache.get(CACHE_KEY)
    if values is None:
        values = dict(Default.objects.values_list("key", "value"))
        cache.set(CACHE_KEY, values, CACHE_SECONDS)
    return values[key]
