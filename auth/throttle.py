"""Login throttling that nobody can turn into a lockout.

Wrong passwords are counted per account and address pair, per address and per account. What
waits is always an address that has failed: a correct password from an address that has not
failed gets in, however many wrong ones others typed for the same account.

- the pair: after PAIR_FREE failures each further try waits twice as long as the one before;
- the address, for any account (one address guessing many accounts): the same after ADDRESS_FREE;
- the account, from any address (many addresses guessing one account): a softer wait, up to a
  minute, for the addresses that have failed for it.

A key with no failure for FORGET_AFTER seconds starts again. The counters are shared by every
worker and app server and outlive a restart: a database table by default, Redis when
THROTTLE_REDIS_URL says so.
"""

from __future__ import annotations

import hashlib
import time

import sqlalchemy as sa
from flask import current_app
from flask_babel import ngettext
from sqlalchemy.dialects import postgresql, sqlite

from models import LoginFailure, db

PAIR_FREE = 5
ADDRESS_FREE = 20
ACCOUNT_FREE = 10
FIRST_WAIT = 30
MAX_WAIT = 15 * 60
MAX_ACCOUNT_WAIT = 60
FORGET_AFTER = 60 * 60

# The clock, a name of its own so that tests can move it.
_now = time.time


class DatabaseCounters:
    """The counters in the login_failure table (one upsert per failure)."""

    def read(self, keys: list[str], now: float) -> dict[str, tuple[int, float]]:
        rows = db.session.execute(
            sa.select(LoginFailure.key, LoginFailure.count, LoginFailure.last_at).where(
                LoginFailure.key.in_(keys), LoginFailure.last_at >= now - FORGET_AFTER
            )
        )
        return {key: (count, last_at) for key, count, last_at in rows}

    def hit(self, keys: list[str], now: float) -> None:
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        statement = insert(LoginFailure).values([{"key": key, "count": 1, "last_at": now} for key in keys])
        table = LoginFailure.__table__
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                # A count last hit long ago starts again rather than growing forever.
                "count": sa.case((table.c.last_at < now - FORGET_AFTER, 1), else_=table.c.count + 1),
                "last_at": now,
            },
        )
        db.session.execute(sa.delete(LoginFailure).where(LoginFailure.last_at < now - FORGET_AFTER))
        db.session.execute(statement)
        db.session.commit()

    def clear(self, key: str) -> None:
        db.session.execute(sa.delete(LoginFailure).where(LoginFailure.key == key))
        db.session.commit()


class RedisCounters:
    """The counters in Redis: a hash per key that expires FORGET_AFTER after its last failure."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.redis = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        self.prefix = prefix

    def read(self, keys: list[str], now: float) -> dict[str, tuple[int, float]]:
        pipeline = self.redis.pipeline()
        for key in keys:
            pipeline.hmget(self.prefix + key, "count", "last_at")
        found = {}
        for key, (count, last_at) in zip(keys, pipeline.execute()):
            if count is not None and last_at is not None:
                found[key] = (int(count), float(last_at))
        return found

    def hit(self, keys: list[str], now: float) -> None:
        pipeline = self.redis.pipeline()
        for key in keys:
            pipeline.hincrby(self.prefix + key, "count", 1)
            pipeline.hset(self.prefix + key, "last_at", now)
            pipeline.expire(self.prefix + key, FORGET_AFTER)
        pipeline.execute()

    def clear(self, key: str) -> None:
        self.redis.delete(self.prefix + key)


class RedisOrDatabase:
    """Redis's counters, and the database's while Redis cannot be reached: a login must not fail
    because the throttle's store is down, and the counting must not stop either."""

    def __init__(self, url: str, prefix: str):
        self.redis, self.database = RedisCounters(url, prefix), DatabaseCounters()

    def _call(self, name: str, *args):
        import redis

        try:
            return getattr(self.redis, name)(*args)
        except redis.RedisError as exc:
            current_app.logger.warning("Login throttle: Redis unreachable (%s); counting in the database", exc)
            return getattr(self.database, name)(*args)

    def read(self, keys: list[str], now: float) -> dict[str, tuple[int, float]]:
        return self._call("read", keys, now)

    def hit(self, keys: list[str], now: float) -> None:
        self._call("hit", keys, now)

    def clear(self, key: str) -> None:
        self._call("clear", key)


def init_app(app) -> None:
    url = app.config.get("THROTTLE_REDIS_URL")
    prefix = app.config.get("THROTTLE_KEY_PREFIX", "ispdesk:login:")
    app.extensions["login_throttle"] = RedisOrDatabase(url, prefix) if url else DatabaseCounters()


def _counters():
    return current_app.extensions["login_throttle"]


def _key(*parts: str) -> str:
    # Hashed: what someone typed as a login (a misplaced password, perhaps) is not stored.
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _keys(scope: str, account: str, address: str) -> tuple[str, str, str]:
    account = account.strip().lower()
    return (
        _key(scope, "pair", account, address),
        _key(scope, "address", address),
        _key(scope, "account", account),
    )


def _doubling(count: int, free: int) -> int:
    """The wait after `count` failures when `free` of them are free: 30 s, 1 min, 2 min, … 15 min."""
    return 0 if count < free else min(MAX_WAIT, FIRST_WAIT * 2 ** min(count - free, 10))


def retry_after(scope: str, account: str, address: str) -> int:
    """Seconds until this address may try this account again (0: now)."""
    now = _now()
    pair_key, address_key, account_key = _keys(scope, account, address)
    found = _counters().read([pair_key, address_key, account_key], now)
    pair, pair_at = found.get(pair_key, (0, now))
    on_address, address_at = found.get(address_key, (0, now))
    on_account, _ = found.get(account_key, (0, now))
    ready_at = max(
        pair_at + _doubling(pair, PAIR_FREE),
        address_at + _doubling(on_address, ADDRESS_FREE),
        # Counted from this address's own last failure: an attack elsewhere cannot keep it waiting.
        pair_at
        + (min(MAX_ACCOUNT_WAIT, 5 * (on_account - ACCOUNT_FREE + 1)) if pair and on_account >= ACCOUNT_FREE else 0),
    )
    return max(0, int(ready_at - now + 0.999))


def record_failure(scope: str, account: str, address: str) -> None:
    _counters().hit(list(_keys(scope, account, address)), _now())


def record_success(scope: str, account: str, address: str) -> None:
    """A right password clears this address's failures for the account (not the others')."""
    _counters().clear(_keys(scope, account, address)[0])


def too_many_attempts_message(wait_seconds: int) -> str:
    if wait_seconds < 120:
        return ngettext(
            "Too many wrong passwords. Try again in %(num)d second.",
            "Too many wrong passwords. Try again in %(num)d seconds.",
            wait_seconds,
        )
    minutes = -(-wait_seconds // 60)
    return ngettext(
        "Too many wrong passwords. Try again in %(num)d minute.",
        "Too many wrong passwords. Try again in %(num)d minutes.",
        minutes,
    )
