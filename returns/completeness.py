"""Completeness of a round: every return owed (indicators' figures, entered by officers or lead partners'
users, and actions' updates), counted by status with totals and percentages, per department, per plan
and per person, and who is late. Read in a constant number of queries (returns.queries.owed_in, and the
reminders already sent)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from core.numbers import format_figure
from returns.models import ReminderLog, ReportingRound
from returns.queries import OUTSTANDING, STATUS_LABELS, ActionRow, Owed, ReturnRow, owed_in

HANDED_IN = ("submitted", "approved")
NO_DEPARTMENT = "No department"
NOBODY = "Nobody named"


@dataclass
class Tally:
    """The returns owed by one department, plan or person (or all of them), by status."""

    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_LABELS, 0))
    person: object = None  # the User, in the per-person tally
    last_reminder: ReminderLog | None = None

    def add(self, row: ReturnRow | ActionRow) -> None:
        self.counts[row.status] += 1

    @property
    def cells(self) -> list[tuple[str, int]]:
        """The counts by status with each status's words, in the order of the page's columns."""
        return [(STATUS_LABELS[status], count) for status, count in self.counts.items()]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def handed_in(self) -> int:
        return sum(self.counts[status] for status in HANDED_IN)

    @property
    def outstanding(self) -> int:
        return sum(self.counts[status] for status in OUTSTANDING)

    @property
    def handed_in_percent(self) -> str:
        """The share handed in (submitted or approved), in the portal's number format: "66.7%"."""
        if not self.total:
            return "–"
        return format_figure(round(Decimal(100 * self.handed_in) / self.total, 1), "percentage")

    @property
    def approved_percent(self) -> str:
        if not self.total:
            return "–"
        return format_figure(round(Decimal(100 * self.counts["approved"]) / self.total, 1), "percentage")


@dataclass
class Completeness:
    round: ReportingRound
    all: Tally
    departments: list[Tally]
    plans: list[Tally]
    people: list[Tally]
    late: list[tuple[str, list[ReturnRow | ActionRow]]]
    statuses: dict[str, str] = field(default_factory=lambda: STATUS_LABELS)


def _department(row: ReturnRow | ActionRow) -> str:
    unit = row.indicator.department if isinstance(row, ReturnRow) else row.action.org_unit
    return unit.name if unit is not None else NO_DEPARTMENT


def _plans(row: ReturnRow | ActionRow) -> list[str]:
    if isinstance(row, ActionRow):
        return [row.action.plan.title]
    return sorted({link.plan.title for link in row.indicator.plan_links.all()})


def person_name(person) -> str:
    """A person as completeness names them: a partner's user with their organisation."""
    name = person.get_full_name() or person.username
    profile = getattr(person, "profile", None)
    partner = profile.partner if profile is not None and profile.partner_id else None
    return f"{name} ({partner.name})" if partner else name


def completeness_of(round_: ReportingRound, today, *, owed: Owed | None = None) -> Completeness:
    """Every return owed in the round, counted (see the module's docstring)."""
    owed = owed or owed_in(round_)
    everything = Tally("All returns")
    departments: dict[str, Tally] = {}
    plans: dict[str, Tally] = {}
    people: dict[int, Tally] = {}
    late: dict[str, list] = defaultdict(list)
    for row in [*owed.returns, *owed.updates]:
        everything.add(row)
        name = _department(row)
        departments.setdefault(name, Tally(name)).add(row)
        for title in _plans(row):
            plans.setdefault(title, Tally(title)).add(row)
        for person in row.people or [None]:
            key = person.pk if person is not None else None
            if key not in people:
                people[key] = Tally(person_name(person), person=person) if person else Tally(NOBODY)
            people[key].add(row)
            if row.is_late(today):
                late[people[key].name].append(row)
    for log in ReminderLog.objects.filter(round=round_, user_id__in=[k for k in people if k]).order_by("sent_on", "pk"):
        people[log.user_id].last_reminder = log  # the latest wins
    return Completeness(
        round=round_,
        all=everything,
        departments=_sorted(departments, last=NO_DEPARTMENT),
        plans=_sorted(plans),
        people=sorted(people.values(), key=lambda t: (t.person is None, t.name, getattr(t.person, "pk", 0))),
        late=sorted(late.items(), key=lambda item: (item[0] == NOBODY, item[0])),
    )


def _sorted(tallies: dict[str, Tally], *, last: str = "") -> list[Tally]:
    """By name, with the catch-all group ("No department", "Nobody named") last."""
    return [tallies[name] for name in sorted(tallies, key=lambda name: (name == last, name))]
