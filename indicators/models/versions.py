from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F


@dataclass
class _Changes:
    depth: int = 0
    dirty: bool = False  # something judging reads changed: `number` moves
    published: bool = False  # something the public sees changed: `published` moves too


_changes: ContextVar[_Changes | None] = ContextVar("data_version_changes", default=None)


class DataVersion(models.Model):
    """A single row counting the committed changes to what judged statuses and the thread's roll-ups
    are read from; caches are keyed on it (docs/decisions/0003). Bumped inside the writing
    transaction, so a reader sees the new number only once the change itself is visible.

    The bump locks the row until the transaction ends, so every write path bumps it once, as its last
    write before commit (`DataVersion.changes()`): the lock is held for a moment, not for the whole of
    an import, and since every writer takes it last, after its other row locks, two writers cannot
    deadlock over it (docs/decisions/0003)."""

    SINGLETON = 1

    number = models.BigIntegerField(default=0)
    # The publication version: moves only when what the public sees changes (an approval, a reopening, a
    # correction to a target or a plan), never for a draft or a submission. Public pages are cached
    # whole under it (portal/page_cache.py); see docs/decisions/0003.
    published = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"Data version {self.number}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=cls.SINGLETON).values_list("number", flat=True).first() or 0

    @classmethod
    def current_publication(cls) -> int:
        """The publication version: what public pages are cached under. One query."""
        return cls.objects.filter(pk=cls.SINGLETON).values_list("published", flat=True).first() or 0

    @classmethod
    def bump(cls, *, number: bool = True, published: bool = False) -> None:
        """Move the data version and/or the publication version, in one UPDATE."""
        moves = {
            **({"number": F("number") + 1} if number else {}),
            **({"published": F("published") + 1} if published else {}),
        }
        if not moves:
            return
        # The UPDATE locks the row until the transaction ends, so numbers follow commit order.
        if cls.objects.filter(pk=cls.SINGLETON).update(**moves):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=cls.SINGLETON, number=int(number), published=int(published))
        except IntegrityError:  # created meanwhile by another writer
            cls.objects.filter(pk=cls.SINGLETON).update(**moves)

    @classmethod
    @contextmanager
    def changes(cls) -> Iterator[None]:
        """Defer the bumps of the writes inside the block to one bump when it ends, its last write.

        Use it inside the writing transaction (`with transaction.atomic(), DataVersion.changes():`).
        Blocks nest: only the outermost bumps. A block left by an exception bumps nothing (its
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
        if state.dirty or state.published:
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Foreign keys are checked at commit (Django makes them deferrable): check them now, so that
                # the version's lock is held only from the bump to the commit, not through thousands of
                # checks a large import leaves for the commit.
                connection.check_constraints()
            cls.bump(number=state.dirty, published=state.published)

    @classmethod
    def note_change(cls) -> None:
        """Something judging reads was written: bump at the end of the current `changes()` block, or now."""
        state = _changes.get()
        if state is not None:
            state.dirty = True
        else:
            cls.bump()

    @classmethod
    def note_publication(cls) -> None:
        """Something the public sees was written (indicators/publication.py decides what): move the
        publication version at the end of the current `changes()` block, or now."""
        state = _changes.get()
        if state is not None:
            state.published = True
        else:
            cls.bump(number=False, published=True)
