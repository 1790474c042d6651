from django.db import IntegrityError, models, transaction
from django.db.models import F


class DataVersion(models.Model):
    """A single row counting the committed changes to what judged statuses and the thread's roll-ups
    are read from; caches are keyed on it (docs/decisions/0003). Bumped inside the writing
    transaction, so a reader sees the new number only once the change itself is visible.

    The bump locks the row until the transaction ends. A transaction that takes other row locks
    (returns entry and sign-off lock their round and return) bumps first, so that every such
    transaction takes the locks in the same order and two of them cannot deadlock."""

    SINGLETON = 1

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"Data version {self.number}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=cls.SINGLETON).values_list("number", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        # The UPDATE locks the row until the transaction ends, so numbers follow commit order.
        if cls.objects.filter(pk=cls.SINGLETON).update(number=F("number") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=cls.SINGLETON, number=1)
        except IntegrityError:  # created meanwhile by another writer
            cls.objects.filter(pk=cls.SINGLETON).update(number=F("number") + 1)
