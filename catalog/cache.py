"""What the storefront keeps in Django's cache, and the versions that retire it (docs/caching.md).

Listing pages (categories, search, the home page's shelves), rendered product cards, the category
tree and the catalogue API's lists are cached under keys that carry the current *versions* of
what they show:

- `CATALOGUE`: categories, products, variants and their images (HQ's catalogue edits);
- `PRICES`: a store's or HQ's price, a reduction announced or withdrawn;
- `STOCK`: a store's quantities (stock feeds, counts, receptions);
- `STORES`: a store's own row (its name, address, services, seller identity: a save in HQ's
  admin or the store's back office).

A write bumps the versions it changes (`bump`), so every key built on the old versions is never
read again and the next visitor renders afresh: a price change, a stock feed or a catalogue edit
shows on the next request. A change nobody bumps for (a checkout holding the last unit, a
reduction reaching its end, a reservation expiring) shows when the entry expires: entries live
at most HQ's `StorefrontPolicy.listing_max_age_seconds` (60 s by default), so a listing is never
staler than HQ set. The product page's "near you" stock, the cart and the checkout are never
cached.

The versions live in the same cache as the entries (Redis in production, local memory in the
embedded profile), so every process sees a bump at once. This module sits in the catalogue, the
lowest app that owns cached data: the stores above it bump `STOCK` and `PRICES` themselves.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, transaction

CATALOGUE = "catalogue"
PRICES = "prices"
STOCK = "stock"
STORES = "stores"
EVERYTHING = (CATALOGUE, PRICES, STOCK, STORES)
# A listing shows names, prices, stock badges and stores: it changes with any of them.
LISTING = EVERYTHING

_VERSION_KEY = "storefront:version:{}"

T = TypeVar("T")

VERSIONS_READ_EVERY_SECONDS = 1.0
_tokens: dict[str, str] = {}
_read_at = [0.0]


def _fresh_token() -> str:
    return format(time.time_ns(), "x")


def versions(names: Iterable[str] = EVERYTHING) -> str:
    """The current versions of `names`, joined: part of every key built on them. Read from
    the cache at most once a second per process (a bump in another process shows within that
    second; a bump in this one at once); a version nobody set yet starts now."""
    names = tuple(names)
    tokens = _recent_tokens()
    missing = [name for name in names if name not in tokens]
    if missing:
        keys = {name: _VERSION_KEY.format(name) for name in EVERYTHING}
        found = cache.get_many(list(keys.values()))
        for name in EVERYTHING:
            token = found.get(keys[name])
            if token is None:
                cache.add(keys[name], _fresh_token(), timeout=None)
                token = cache.get(keys[name]) or _fresh_token()
            tokens[name] = token
    return ";".join(f"{name}={tokens[name]}" for name in names)


def _recent_tokens() -> dict[str, str]:
    now = time.monotonic()
    if now - _read_at[0] > VERSIONS_READ_EVERY_SECONDS:
        _forget_recent_tokens()
        _read_at[0] = now
    return _tokens


def _forget_recent_tokens() -> None:
    _tokens.clear()
    _each_second.clear()


_each_second: dict[str, Any] = {}


def read_each_second(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, read again at most once a second in this process, and at once after a bump
    or `forget_recent()` here: for a setting every cached page part asks for."""
    _recent_tokens()
    if name not in _each_second:
        _each_second[name] = compute()
    return _each_second[name]


def forget_recent() -> None:
    """Read the versions and the values of `read_each_second` again at their next use."""
    _forget_recent_tokens()


def bump(*names: str) -> None:
    """Retire every entry built on `names`: now, and again when the current transaction
    commits (a page rendered in between from the old rows would otherwise be kept under the
    new version). Many writes in one transaction bump once at commit."""
    _set_new_versions(names)
    if not connection.in_atomic_block:
        return
    waiting = {
        getattr(callback, "storefront_version", None)
        for _savepoints, callback, _robust in connection.run_on_commit
    }
    for name in set(names) - waiting:
        transaction.on_commit(_VersionBump(name))


class _VersionBump:
    """An on-commit callback that says which version it bumps (so one is queued per name)."""

    def __init__(self, name: str) -> None:
        self.storefront_version = name

    def __call__(self) -> None:
        _set_new_versions([self.storefront_version])


def _set_new_versions(names: Iterable[str]) -> None:
    _forget_recent_tokens()
    token = _fresh_token()
    cache.set_many({_VERSION_KEY.format(name): token for name in names}, timeout=None)


def forget_versions() -> None:
    """Start every version afresh (tests: no entry of an earlier test is read again)."""
    _forget_recent_tokens()
    _in_process.clear()
    _per_visitor.clear()
    cache.delete_many([_VERSION_KEY.format(name) for name in EVERYTHING])


def key_for(kind: str, *parts: Any, depends_on: Iterable[str] = LISTING) -> str:
    """A cache key for `kind` (a page part, "category-grid") showing what `parts` select,
    built on the current versions of `depends_on`."""
    described = repr((parts, versions(depends_on))).encode()
    return f"storefront:{kind}:{hashlib.sha256(described).hexdigest()[:32]}"


def cached(key: str, compute: Callable[[], T], *, max_age: int) -> T:
    """The value kept under `key` if it is at most `max_age` seconds old, else `compute()`,
    kept (0: nothing is kept). The age is checked here, on the clock of the process, as well as
    by the cache's expiry: an entry kept before HQ shortened the delay is not shown longer."""
    if max_age <= 0:
        return compute()
    entry = cache.get(key)
    now = time.time()
    if isinstance(entry, tuple) and len(entry) == 2:
        stored_at, value = entry
        if 0 <= now - stored_at <= max_age:
            return value
    value = compute()
    cache.set(key, (now, value), timeout=max_age)
    return value


# What one process keeps besides the shared cache: the values every request of a page reads
# (the category tree, the rendered page parts of {% storefront_part %}), under the same keys.
# A read from here costs no network round trip and no unpickling; the versions in the keys
# retire entries as in the shared cache, and the oldest go past IN_PROCESS_ENTRIES. What is
# kept per visitor's input (her postal code's centre, the stores near it, the product page's
# "near you" panel, a part keyed by the page's address with her query) has a bound of its own:
# many visitors' places do not push the menu and the product pages out.
IN_PROCESS_ENTRIES = 2000
PER_VISITOR_ENTRIES = 2000
_in_process: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_per_visitor: OrderedDict[str, tuple[float, Any]] = OrderedDict()
# The threaded servers (runserver, a threaded worker) share them between requests.
_in_process_lock = threading.Lock()


def kept_in_process(
    key: str, compute: Callable[[], T], *, max_age: int, per_visitor: bool = False
) -> T:
    """As `cached`, in this process's memory: for small values read by most requests;
    `per_visitor` for a value of what one visitor typed (her place, her page's address)."""
    if max_age <= 0:
        return compute()
    kept = _per_visitor if per_visitor else _in_process
    bound = PER_VISITOR_ENTRIES if per_visitor else IN_PROCESS_ENTRIES
    now = time.time()
    with _in_process_lock:
        entry = kept.get(key)
        if entry is not None and 0 <= now - entry[0] <= max_age:
            kept.move_to_end(key)
            return entry[1]
    value = compute()
    with _in_process_lock:
        kept[key] = (now, value)
        kept.move_to_end(key)
        while len(kept) > bound:
            kept.popitem(last=False)
    return value
