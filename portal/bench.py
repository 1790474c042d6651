"""A large synthetic council, for measuring the pages (`make bench`). Not a test: it times things.

The data are invented and written in bulk straight to the tables, without audit history: they exist
only to make every page work as hard as a big council's would.
"""

import datetime as dt
import math
import random
import statistics
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from indicators.models import (
    Breakdown,
    Indicator,
    OutcomeIndicator,
    PeriodKind,
    PlanIndicator,
    ReportingPeriod,
    Return,
    ReturnStatus,
    Target,
    Value,
)
from partners.models import Partner, SignUp
from plans.models import Outcome, Plan, Priority, Risk
from portal.page_cache import forget_recent_pages


@dataclass
class Size:
    plans: int = 10
    priorities: int = 5
    outcomes: int = 4
    indicators: int = 500
    years: int = 15
    partners: int = 50
    risks: int = 20


def _bulk(model, rows):
    # Synthetic benchmark rows skip the audit history on purpose: the audited querysets refuse bulk
    # writes, so go through a plain queryset.
    return models.QuerySet(model).bulk_create(rows, batch_size=2000)


@transaction.atomic
def build(size: Size, *, first_year: int = 2010) -> None:
    rng = random.Random(1)  # noqa: S311 - synthetic data
    years = list(
        ReportingPeriod.objects.filter(kind=PeriodKind.FINANCIAL_YEAR, start__year__gte=first_year).order_by("start")
    )[: size.years]
    quarters = list(ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, parent__in=years).order_by("start"))
    plans = _bulk(
        Plan,
        [
            Plan(
                slug=f"bench-plan-{p}",
                title=f"Bench plan {p}",
                kind="corporate_plan",
                start=dt.date(first_year, 4, 1),
                end=dt.date(first_year + size.years, 3, 31),
                order=100 + p,
            )
            for p in range(size.plans)
        ],
    )
    priorities = _bulk(
        Priority,
        [
            Priority(
                plan=plan, number=n + 1, slug=f"priority-{n + 1}", title=f"Priority {n + 1} of {plan.title}", order=n
            )
            for plan in plans
            for n in range(size.priorities)
        ],
    )
    outcomes = _bulk(
        Outcome,
        [
            Outcome(
                priority=priority,
                number=n + 1,
                slug=f"outcome-{n + 1}",
                title=f"Outcome {n + 1}",
                narrative="Synthetic.",
                order=n,
            )
            for priority in priorities
            for n in range(size.outcomes)
        ],
    )
    indicators = _bulk(
        Indicator,
        [
            Indicator(
                slug=f"lbc-{5000 + i}",
                code=f"LBC {5000 + i}",
                title=f"Bench indicator {i}",
                unit="count",
                polarity=rng.choice(["higher", "lower"]),
                frequency="quarterly",
            )
            for i in range(size.indicators)
        ],
    )
    split = indicators[::5]
    breakdowns = _bulk(
        Breakdown,
        [
            Breakdown(indicator=i, dimension="sex", name=name, slug=name, order=n)
            for i in split
            for n, name in enumerate(["male", "female"])
        ],
    )
    parts_of = {i.pk: [None] for i in indicators}
    for breakdown in breakdowns:
        parts_of[breakdown.indicator_id] = [b for b in breakdowns if b.indicator_id == breakdown.indicator_id]
    links = _bulk(
        PlanIndicator,
        [
            PlanIndicator(
                plan=plans[n % len(plans)],
                indicator=indicator,
                inclusion="local",
                priority=priorities[n % len(priorities)],
                printed=indicator.code,
                title=indicator.title,
                order=n,
            )
            for n, indicator in enumerate(indicators)
        ],
    )
    _bulk(
        OutcomeIndicator,
        [
            OutcomeIndicator(
                outcome=outcomes[n % len(outcomes)],
                indicator=indicator,
                printed=indicator.code,
                title=indicator.title,
                order=n,
            )
            for n, indicator in enumerate(indicators)
        ],
    )
    _bulk(
        Target,
        [
            Target(plan=links[n].plan, indicator=indicator, period=year, breakdown=part, value=100, text="100")
            for n, indicator in enumerate(indicators)
            for year in years
            for part in parts_of[indicator.pk]
        ],
    )
    returns = _bulk(
        Return,
        [
            Return(indicator=indicator, period=quarter, status=ReturnStatus.APPROVED)
            for indicator in indicators
            for quarter in quarters
        ],
    )
    _bulk(
        Value,
        [
            Value(submission=submission, breakdown=part, value=Decimal(rng.randint(80, 120)))
            for submission in returns
            for part in parts_of[submission.indicator_id]
        ],
    )
    partners = _bulk(
        Partner, [Partner(slug=f"bench-partner-{p}", name=f"Bench partner {p}") for p in range(size.partners)]
    )
    sign_ups = []
    for link in links:
        chosen = rng.sample(partners, 3)
        sign_ups += [
            SignUp(plan_indicator=link, partner=partner, printed_name=partner.name, lead=k == 0, order=k)
            for k, partner in enumerate(chosen)
        ]
    _bulk(SignUp, sign_ups)
    _bulk(
        Risk,
        [
            Risk(
                plan=plan,
                number=n + 1,
                reference=str(n + 1),
                title=f"Risk {n + 1}",
                initial_score=rng.randint(4, 25),
                residual_score=rng.randint(1, 16),
                controls="Synthetic controls.",
                order=n,
            )
            for plan in plans
            for n in range(size.risks)
        ],
    )


def member_client() -> Client:
    user, _ = get_user_model().objects.get_or_create(username="bench-member")
    user.groups.add(Group.objects.get_or_create(name=Role.MEMBER.value)[0])
    client = Client()
    client.force_login(user)
    return client


def measure(client: Client, urls: list[str], *, rounds: int) -> tuple[float, float, int, float]:
    """Median and 95th percentile server time (ms) over every request, the most queries one made, and the
    slowest first request after a change to the data (the cache of judged statuses emptied before it)."""
    timings, queries, cold = [], 0, 0.0
    for url in urls:
        client.get(url, secure=True)  # templates and code loaded, as in a running server
        for each in caches.all():  # judged statuses and whole public pages
            each.clear()
        forget_recent_pages()
        started = time.perf_counter()
        client.get(url, secure=True)
        cold = max(cold, (time.perf_counter() - started) * 1000)
    for _ in range(rounds):
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            queries = max(queries, len(captured.captured_queries))
    timings.sort()
    p95 = timings[max(0, math.ceil(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, queries, cold


def page_types() -> dict[str, list[str]]:
    plans = list(Plan.objects.filter(slug__startswith="bench-plan-").order_by("order")[:5])
    outcomes = list(Outcome.objects.filter(priority__plan__in=plans).select_related("priority__plan")[:5])
    indicators = list(Indicator.objects.filter(slug__startswith="lbc-5").order_by("?")[:5])
    partners = list(Partner.objects.filter(slug__startswith="bench-partner-")[:5])
    return {
        "home": ["/"],
        "plan": [p.get_absolute_url() for p in plans],
        "scorecard": [f"{p.get_absolute_url()}scorecard/" for p in plans],
        "outcome": [o.get_absolute_url() for o in outcomes],
        "indicator": [i.get_absolute_url() for i in indicators],
        "partner directory": ["/partners/"],
        "partner": [p.get_absolute_url() for p in partners],
        "risk register": [f"{p.get_absolute_url()}risks/" for p in plans],
        "search": ["/search/?q=bench+indicator+4"],
        "API indicators of a plan": [f"/api/v1/indicators/?plan={p.slug}&page_size=200" for p in plans],
    }
