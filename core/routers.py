"""Reads of public pages from a read replica, when one is configured (DATABASE_REPLICA_URL).

An anonymous GET that may be a public page (portal/page_cache.py decides, before anything runs) reads
from the `replica` alias; everything else — every write, every signed-in request, every read inside
a transaction — goes to the primary. A replica lags its primary by a moment: a public page may show
the previous publication for that moment, which is what any cache in front of it would do anyway;
people who write (officers, the performance team) are signed in and always read the primary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_public_read: ContextVar[bool] = ContextVar("public_read", default=False)


@contextmanager
def public_reads() -> Iterator[None]:
    """Within the block (one anonymous GET), reads may go to the replica."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class PublicReadsToReplica:
    """Database router: see the module's docstring."""

    def db_for_read(self, model, **hints):
        if _public_read.get() and REPLICA in settings.DATABASES and not connections["default"].in_atomic_block:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two doors

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"  # the replica follows the primary's schema by replication
