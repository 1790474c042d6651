"""Loading partners, the LAA glossary and partner groups, sign-ups, and the whole Luton data set.

`load_luton` is the one entry point: it reads every fixture file, loads them in dependency
order inside one transaction, and leaves the database exactly as the files describe it. It lives
in this app because partners sit at the top of the dependency graph (they may import plans and
indicators); each app loads its own part.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from core.sync import FixtureError, Syncer, read_yaml
from indicators.loading import (
    IndicatorRegistry,
    PeriodLookup,
    ensure_periods,
    link_plan_indicators,
    load_agreement_indicators,
    load_catalogue,
)
from indicators.models import DataVersion, PlanIndicator
from partners.models import GlossaryTerm, Partner, PartnerAlias, PartnerMembership, SignUp
from plans.loading import link_served_plan, load_assessment, load_plan_document, sync_plan_record, text
from plans.models import Plan

# Which kinds of plan must load before which: an agreement's indicator titles become the catalogue's,
# so it loads before the plans that cite the same indicators.
LOADS_BEFORE = {"local_area_agreement": ("corporate_plan", "service_plans")}


def plan_documents(fixtures_dir: Path) -> list[tuple[dict, Path]]:
    """Every plan file under fixtures/plans/, in the order each declares (plan.order), checked: orders
    unique, a plan after the plan it serves, an agreement before the plans that cite its indicators."""
    documents = []
    for path in sorted((fixtures_dir / "plans").glob("*.yaml")):
        document = read_yaml(path)
        order = (document.get("plan") or {}).get("order")
        if not isinstance(order, int) or isinstance(order, bool):
            raise FixtureError(f"{path.name}: plan.order must be a whole number (the order plans load and list in)")
        documents.append((document, path))
    documents.sort(key=lambda item: item[0]["plan"]["order"])
    seen: dict[str, dict] = {}
    for document, path in documents:
        spec = document["plan"]
        clash = next((other for other in seen.values() if other["order"] == spec["order"]), None)
        if clash is not None:
            raise FixtureError(f"{path.name}: plan.order {spec['order']} is also {clash['slug']}'s")
        serves = spec.get("serves")
        if serves and serves not in seen:
            raise FixtureError(f"{path.name}: serves {serves!r}, which must be a plan with a lower plan.order")
        for other in seen.values():
            if spec.get("kind") in LOADS_BEFORE and other.get("kind") in LOADS_BEFORE[spec["kind"]]:
                raise FixtureError(
                    f"{path.name}: an agreement must have a lower plan.order than {other['slug']}, "
                    "whose indicators take their titles from it"
                )
        seen[spec.get("slug")] = spec
    return documents


@dataclass
class PrintedPartner:
    name: str
    lead: bool


def parse_partner_list(printed: str, readings: dict[str, list[str]] | None = None) -> list[PrintedPartner]:
    """The partners of a printed sign-up list, in order: "LBC*, NHS Luton, Police." -> LBC (lead), ...

    Items are separated by commas (once, a semicolon); a trailing full stop ends the list; a *
    after a name marks the lead partner. `readings` splits an item that is two partners printed
    without their comma.
    """
    partners = []
    for raw in re.split(r"[,;]", printed):
        item = " ".join(raw.split()).rstrip(".").strip()
        if not item:
            continue
        lead = item.endswith("*")
        item = item.rstrip("*").strip()
        for name in (readings or {}).get(item, [item]):
            partners.append(PrintedPartner(name=name, lead=lead))
    return partners


def load_partners(path: Path) -> tuple[dict[str, Partner], Syncer]:
    """Partners, their printed aliases, the glossary and the partner groups.

    Returns the partners by alias, and the partners' syncer: stale partners can only be deleted
    after the sign-ups that protect them have been brought up to date.
    """
    data = read_yaml(path)
    name = path.name
    terms = Syncer(GlossaryTerm.objects.all(), ("term",), where=name)
    for index, entry in enumerate(data.get("glossary") or []):
        terms.sync(
            {"term": entry["term"]},
            where=f"{name}: glossary[{index}]",
            expansion=entry["expansion"],
            order=index,
        )
    expansions = {entry["term"]: entry["expansion"] for entry in data.get("glossary") or []}

    partners = Syncer(Partner.objects.all(), ("slug",), where=name)
    aliases = Syncer(PartnerAlias.objects.all(), ("name",), where=name)
    by_alias: dict[str, Partner] = {}
    by_slug: dict[str, Partner] = {}
    for index, entry in enumerate(data.get("partners") or []):
        where = f"{name}: partners[{index}]"
        abbreviation = entry.get("abbreviation", "")
        partner = partners.sync(
            {"slug": entry["slug"]},
            where=where,
            name=entry["name"],
            abbreviation=abbreviation,
            expansion=entry.get("expansion") or expansions.get(abbreviation, ""),
            kind=entry.get("kind", "organisation"),
            description=text(entry.get("description")),
        )
        by_slug[partner.slug] = partner
        for alias in entry.get("aliases") or []:
            aliases.sync({"name": alias}, where=f"{where}.aliases", partner_id=partner.pk)
            by_alias[alias] = partner

    memberships = Syncer(PartnerMembership.objects.all(), ("group_id", "member_id"), where=name)
    for index, group in enumerate(data.get("groups") or []):
        where = f"{name}: groups[{index}]"
        group_partner = by_slug.get(group["partner"])
        if group_partner is None:
            raise FixtureError(f"{where}: no partner has the slug {group['partner']!r}")
        for order, member_name in enumerate(group.get("members") or []):
            member = by_alias.get(member_name)
            if member is None:
                raise FixtureError(f"{where}: member {member_name!r} matches no partner alias")
            memberships.sync(
                {"group_id": group_partner.pk, "member_id": member.pk},
                where=where,
                printed=member_name,
                order=order,
            )
    memberships.finish()
    aliases.finish()
    terms.finish()
    return by_alias, partners


def sync_sign_ups(rows: list[tuple[PlanIndicator, dict]], partners_by_alias: dict[str, Partner], path: Path) -> None:
    for link, row in rows:
        where = f"{path.name}: {row['code']} partners"
        printed = row.get("partners")
        if not printed:
            raise FixtureError(f"{where}: every agreement row lists its signed-up partners")
        parsed = parse_partner_list(printed, row.get("partner_readings"))
        leads = [p.name for p in parsed if p.lead]
        if len(leads) != 1:
            raise FixtureError(f"{where}: expected exactly one lead partner (marked *), found {leads or 'none'}")
        sign_ups = Syncer(SignUp.objects.filter(plan_indicator=link), ("order",), where=where)
        for order, item in enumerate(parsed):
            partner = partners_by_alias.get(item.name)
            if partner is None:
                raise FixtureError(f"{where}: {item.name!r} matches no partner alias in partners.yaml")
            sign_ups.sync(
                {"order": order},
                plan_indicator_id=link.pk,
                partner_id=partner.pk,
                printed_name=item.name,
                lead=item.lead,
            )
        sign_ups.finish()


def load_luton(fixtures_dir: Path, *, log: Callable[[str], None] = lambda message: None) -> None:
    """Load every Luton fixture; all or nothing, and a second run changes nothing."""
    with transaction.atomic(), DataVersion.changes():
        _load_luton(fixtures_dir, log)


def _load_luton(fixtures_dir: Path, log: Callable[[str], None]) -> None:
    ensure_periods(fixtures_dir / "periods.yaml")
    periods = PeriodLookup()
    registry = IndicatorRegistry(load_catalogue(fixtures_dir / "indicators.yaml"))
    partners_by_alias, partners = load_partners(fixtures_dir / "partners.yaml")

    documents = [
        (sync_plan_record(document, path, document["plan"]["order"]), document, path)
        for document, path in plan_documents(fixtures_dir)
    ]
    for plan, document, path in documents:
        link_served_plan(plan, document, path)

    loaded_plans = []
    for plan, document, path in documents:
        loaded = load_plan_document(plan, document, path)
        if document.get("indicators"):
            if loaded.indicator_requests:
                raise FixtureError(f"{path.name}: an agreement's indicators go in 'indicators' only")
            rows = load_agreement_indicators(plan, document, path, registry, periods)
            sync_sign_ups(rows, partners_by_alias, path)
        else:
            link_plan_indicators(plan, loaded.indicator_requests, registry)
        loaded_plans.append(loaded)
        log(f"{plan.slug}: loaded from {path.name}")
    for loaded in loaded_plans:
        loaded.finish()

    slugs = [plan.slug for plan, _, _ in documents]
    for stale in Plan.objects.exclude(slug__in=slugs).order_by("-start"):
        stale.delete()
    for path in sorted((fixtures_dir / "assessments").glob("*.yaml")):
        assessment = load_assessment(path)
        log(f"{assessment.slug}: loaded from {path.name}")
    registry.finish()
    partners.finish()
