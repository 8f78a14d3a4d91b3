"""Rate limits per client address for the public endpoints (anonymous submissions and uploads, the
dossier lookup), on django-ratelimit's counters (a fixed window per group, rate and address).

    rate_limit(request, "upload", settings.XASO_RATE_ANON_SUBMIT)  # raises Throttled (429)
    secret_check_limit(request)  # every endpoint that checks a lookup secret or draft token

On an idempotent endpoint pass it as `idempotent(..., guard=...)`, so that a replay, which does no
work, is not counted. The counters live in the "ratelimit" cache (see settings.py for why).
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from .errors import Throttled

logger = logging.getLogger(__name__)


def rate_limit(request: HttpRequest, group: str, rate: str) -> None:
    """Count this request in `group` for the client's address; past `rate` ("60/m") raise
    Throttled with the seconds until the window ends."""
    try:
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
    except Exception:  # e.g. Redis down: a cache outage must not close the public desk
        logger.warning("rate limit %s not checked: cache unavailable", group, exc_info=True)
        return
    if usage is not None and usage["should_limit"]:
        # `time_left` is 0 during the window's last second, which still belongs to it: + 1.
        raise Throttled(retry_after=usage["time_left"] + 1)


def secret_check_limit(request: HttpRequest) -> None:
    """Every endpoint that checks a secret the client sends (a dossier's lookup secret, a
    draft's token) counts in one budget per address, XASO_RATE_LOOKUP: guessing by trying one
    endpoint after another gains nothing."""
    rate_limit(request, "secret_check", settings.XASO_RATE_LOOKUP)


def client_address(request: HttpRequest) -> str:
    """The address to count a request against (django-ratelimit's RATELIMIT_IP_META_KEY).

    X-Forwarded-For is believed only as far as our own proxies wrote it: with XASO_PROXY_HOPS = n
    the n-th entry from the right (what our outermost proxy saw), and only when the request came
    from a non-public address (the proxy), so a client reaching the app directly cannot pick its
    own address. Anything else, or anything malformed, falls back to REMOTE_ADDR.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    hops = settings.XASO_PROXY_HOPS
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if hops and len(forwarded) >= hops and _is_proxy(peer):
        candidate = forwarded[-hops]
        if _valid(candidate):
            return candidate
    # An empty REMOTE_ADDR (a Unix socket with no proxy header) is counted as one client.
    return peer if _valid(peer) else "0.0.0.0"  # noqa: S104 (a bucket name, not a bind address)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _is_proxy(peer: str) -> bool:
    # A Unix socket (empty address) is local; otherwise a loopback or private network address.
    if not peer:
        return True
    return _valid(peer) and not ipaddress.ip_address(peer).is_global
