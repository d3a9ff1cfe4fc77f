"""A rate limit per client: a fixed window per IP address, counted in the default cache.

The cache is ``CACHE_URL``; with several servers or workers use a shared cache such as Redis, otherwise each
process counts on its own. IPv6 clients are counted per /64 network, which one household gets. Behind a reverse
proxy set ``PUBLIC_PROXY_COUNT`` to the number of proxies that append to ``X-Forwarded-For``; without it every
client would share the proxy's address. No raw address is written to the cache, only a hash of it.
"""

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    """The client's IP address (an IPv6 client's /64 network), honouring ``PUBLIC_PROXY_COUNT`` proxies."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PUBLIC_PROXY_COUNT
    if proxies:
        # Each trusted proxy appends the address it received the request from; anything before those
        # entries was written by the client and cannot be trusted.
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def take_slot(request, scope, limit, window, subject=None):
    """Count one request of this client in ``scope``: ``limit`` are allowed per ``window`` seconds (0: no limit).

    ``subject`` counts something else than the client instead, e.g. the e-mail address a request is about; like
    the client's address, only a hash of it reaches the cache. Returns None when allowed, otherwise the whole
    seconds until the next window starts.
    """
    if limit <= 0:
        return None
    window = max(1, window)
    now = time.time()
    window_start = int(now // window) * window
    counted = client_address(request) if subject is None else subject
    client = hashlib.sha256(counted.encode()).hexdigest()[:24]
    key = f"somegov:ratelimit:{scope}:{client}:{window_start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(window_start + window - now))
