"""The LAA's glossary of partner names A to Z, each term linked to the partner it names, and its
partner groups with their members."""

from itertools import groupby

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from partners.models import GlossaryTerm, Partner, PartnerMembership

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def glossary(request: HttpRequest) -> HttpResponse:
    """Who: anyone. Every glossary term under its letter; a term that is a partner's abbreviation (the
    loader's rule for a partner's expansion) links to that partner's page."""
    terms = sorted(GlossaryTerm.objects.all(), key=lambda term: term.term.casefold())
    partners = {p.abbreviation: p for p in Partner.objects.filter(abbreviation__in=[t.term for t in terms])}
    rows = [(term, partners.get(term.term)) for term in terms]
    letters = [(letter, list(group)) for letter, group in groupby(rows, key=lambda row: _letter(row[0].term))]
    present = {letter for letter, _rows in letters}
    return render(
        request,
        "partners/glossary.html",
        {"letters": letters, "alphabet": [(letter, letter in present) for letter in ALPHABET]},
    )


def _letter(term: str) -> str:
    first = term[:1].upper()
    return first if first in ALPHABET else "#"


def partner_groups(request: HttpRequest) -> HttpResponse:
    """Who: anyone. Each partner group (a partnership with members) and its members as printed."""
    groups = (
        Partner.objects.filter(memberships__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch("memberships", queryset=PartnerMembership.objects.select_related("member").order_by("order"))
        )
    )
    return render(request, "partners/partner_groups.html", {"groups": groups.order_by("name")})
