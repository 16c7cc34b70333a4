"""Login throttling: wrong passwords counted per account and per address (Flask-Limiter's storage).

Only failures count, so a clerk who types the password right is never slowed down. The storage
is Redis when RATELIMIT_STORAGE_URI says so (several workers), memory otherwise.
"""

from __future__ import annotations

import time

from flask_babel import ngettext
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

# The storage comes from RATELIMIT_STORAGE_URI in the app's config (memory:// by default).
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Five wrong passwords per account, twenty per address, within fifteen minutes.
ACCOUNT_LIMIT = parse("5 per 15 minutes")
ADDRESS_LIMIT = parse("20 per 15 minutes")


def _keys(scope: str, account: str, address: str):
    return (
        (ACCOUNT_LIMIT, f"login:{scope}:account:{account.strip().lower()}"),
        (ADDRESS_LIMIT, f"login:{scope}:address:{address}"),
    )


def retry_after(scope: str, account: str, address: str) -> int:
    """Seconds until another login attempt is allowed (0: allowed now)."""
    wait = 0
    for item, key in _keys(scope, account, address):
        if not limiter.limiter.test(item, key):
            reset_at = limiter.limiter.get_window_stats(item, key).reset_time
            wait = max(wait, int(reset_at - time.time()) + 1)
    return wait


def record_failure(scope: str, account: str, address: str) -> None:
    for item, key in _keys(scope, account, address):
        limiter.limiter.hit(item, key)


def too_many_attempts_message(wait_seconds: int) -> str:
    minutes = max(1, -(-wait_seconds // 60))
    return ngettext(
        "Too many wrong passwords. Try again in %(num)d minute.",
        "Too many wrong passwords. Try again in %(num)d minutes.",
        minutes,
    )
