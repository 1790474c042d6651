import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

# Sent once the transaction that moved the publication version has committed (or at once, outside a
# transaction): what the public sees has changed. The portal warms its page cache on it; a layer below
# the portal cannot call it.
publication_moved = Signal()


@dataclass
class _Changes:
    depth: int = 0
    published: bool = False  # something the public sees changed: `published` moves


_changes: ContextVar[_Changes | None] = ContextVar("data_version_changes", default=None)


class _LastRead:
    """The publication version as this process last read it, and when (see recent_publication)."""

    at: float = float("-inf")
    version: int = 0


class DataVersion(models.Model):
    """The publication version: a single row counting the committed changes to what the public sees
    (indicators/publication.py decides what that is). Judged statuses, the thread's roll-ups, the
    members' dashboard and whole public pages are cached under it (docs/decisions/0003). It moves for an
    approval, a reopening, a correction to a target or a plan; never for a draft or a submission.

    Moved inside the writing transaction, so a reader sees the new number only once the change itself
    is visible. The move locks the row until the transaction ends, so every write path moves it once,
    as its last write before commit (`DataVersion.changes()`): the lock is held for a moment, not for
    the whole of an import, and since every writer takes it last, after its other row locks, two
    writers cannot deadlock over it."""

    SINGLETON = 1

    published = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the version last moved: the open data's Last-Modified."
    )

    class Meta:
        verbose_name = "publication version"

    def __str__(self) -> str:
        return f"Publication version {self.published}"

    @classmethod
    def current_publication(cls) -> int:
        """What public caches are keyed on. One query."""
        return cls.objects.filter(pk=cls.SINGLETON).values_list("published", flat=True).first() or 0

    @classmethod
    def recent_publication(cls) -> int:
        """The publication version, read at most once every LUTON_PUBLICATION_POLL_MS in this process.

        For the public page cache: a page served from it then costs no database round trip at all, and a
        visitor sees a publication at most that long after it is committed (as with a read replica's lag).
        Anyone signed in, and every write, reads the version itself (current_publication)."""
        poll = settings.LUTON_PUBLICATION_POLL_MS / 1000
        now = time.monotonic()
        if now - _LastRead.at >= poll:
            _LastRead.version, _LastRead.at = cls.current_publication(), now
        return _LastRead.version

    @classmethod
    def forget_recent_publication(cls) -> None:
        _LastRead.at = float("-inf")

    @classmethod
    def current_and_changed_at(cls) -> tuple[int, dt.datetime | None]:
        """The publication version and when it last moved, in one query."""
        row = cls.objects.filter(pk=cls.SINGLETON).values_list("published", "changed_at").first()
        return row or (0, None)

    @classmethod
    def bump(cls) -> None:
        # The UPDATE locks the row until the transaction ends, so numbers follow commit order. The time is
        # the application's, taken as the last write before commit (the database's now() would be when the
        # transaction began, perhaps long before the change became visible).
        now = timezone.now()
        cls.forget_recent_publication()  # this process reads the new number as soon as it is committed
        if not cls.objects.filter(pk=cls.SINGLETON).update(published=F("published") + 1, changed_at=now):
            try:
                with transaction.atomic():
                    cls.objects.create(pk=cls.SINGLETON, published=1, changed_at=now)
            except IntegrityError:  # created meanwhile by another writer
                cls.objects.filter(pk=cls.SINGLETON).update(published=F("published") + 1, changed_at=now)
        transaction.on_commit(lambda: publication_moved.send(sender=cls), robust=True)

    @classmethod
    @contextmanager
    def changes(cls) -> Iterator[None]:
        """Defer the moves of the writes inside the block to one move when it ends, its last write.

        Use it inside the writing transaction (`with transaction.atomic(), DataVersion.changes():`).
        Blocks nest: only the outermost moves it. A block left by an exception moves nothing (its
        transaction is rolled back anyway)."""
        state = _changes.get()
        if state is not None:
            state.depth += 1
            try:
                yield
            finally:
                state.depth -= 1
            return
        state = _Changes(depth=1)
        token = _changes.set(state)
        try:
            yield
        finally:
            _changes.reset(token)
        if state.published:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Foreign keys are checked at commit (Django makes them deferrable): check them now, so that
                # the version's lock is held only from the move to the commit, not through thousands of
                # checks a large import leaves for the commit.
                connection.check_constraints()
            cls.bump()

    @classmethod
    def note_publication(cls) -> None:
        """Something the public sees was written: move the version at the end of the current `changes()`
        block, or now."""
        state = _changes.get()
        if state is not None:
            state.published = True
        else:
            cls.bump()
