"""Rate limits for the public worker pages (intake, receipts, surveys), kept without storing
anyone's address: the address is turned into a keyed hash that lives in the cache for at most an
hour and is never written to the database or the logs."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60 * 60
# StoneBridge defaults: enough for a worker who makes mistakes or files for colleagues, too few
# for a script.
LIMITS = {"submit": 10, "receipt": 30, "survey": 10}


def _address_key(request: HttpRequest, action: str) -> str:
    # Behind a proxy every request arrives from the proxy: the client is in the header it sets,
    # the same one the login limits read.
    address = request.META.get(settings.CLIENT_IP_HEADER, "")
    # The key changes with the secret key, so a stolen cache cannot be matched to addresses.
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{action}:{address}".encode(), hashlib.sha256
    ).hexdigest()
    return f"voice-limit:{action}:{digest}"


def allow(request: HttpRequest, action: str) -> bool:
    """Count one attempt at `action` from this address; False once the hour's limit is spent."""
    key = _address_key(request, action)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= LIMITS[action]
