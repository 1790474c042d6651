"""Generated input through every write path (issue 10): whatever arrives — odd numbers, hidden
characters, wrong types, ragged or mis-encoded files, formulas — the answer is never a server error,
and a refusal changes nothing. The hand-written cases in test_strict_input.py say what the messages
are; these say that no input escapes the rules.

Each example runs in a savepoint that is rolled back, so every example starts from the same data.
The "ci" profile (set by .ci/run through LUTON_REQUIRE_ALL) is derandomised, so CI is repeatable;
on a laptop each run explores new examples.
"""

import csv
import datetime as dt
import io
import json
import os

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from indicators.models import Indicator, Return, Target
from tests.conftest import snapshot

pytestmark = pytest.mark.django_db

settings.register_profile(
    "luton",
    max_examples=40,
    deadline=None,  # a shared machine: time is not what is tested here
    database=None,  # no example database in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("luton-ci", parent=settings.get_profile("luton"), derandomize=True)
settings.load_profile("luton-ci" if os.environ.get("LUTON_REQUIRE_ALL") == "1" else "luton")

QUARTER = "2010/11 Q3"
ENTRY = "/returns/2010-11-q3/indicators/{slug}/"
UPLOAD = "/returns/2010-11-q3/upload/"
API = "/api/v1/returns/{slug}/2010-11-q3/"
CODES = ["NI 156", "NI 192"]  # a count and a percentage, both the officer's

# ---- What people type ----------------------------------------------------------------------------------

typed_numbers = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.from_regex(r"\A[ \t]*[-+]?[0-9][0-9,. ]{0,10}%?[ \t]*\Z"),
    st.sampled_from(
        [
            "",
            " ",
            "N/A",
            "1e5",
            "1_000",
            "٣",
            "Ⅻ",
            "0x10",
            "-0",
            "007",
            "5,810",
            "42.5%",
            "4,3",
            "1,2,3,4",
            "1\u00a0000",
            "12.34567",
            "=1+1",
            "+1",
            "１２",
        ]
    ),
    st.text(max_size=12),
)
free_text = st.text(max_size=200)  # every code point but surrogates: NUL, BEL, ESC, bidi marks...
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), typed_numbers, free_text.map(lambda s: s[:20])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture
def officer(people, open_round):
    """The officer who owns NI 156 (a count), given NI 192 (a percentage) too."""
    Indicator.objects.get(code="NI 192").officers.add(people["officer"])
    return people["officer"]


def _each_example(run) -> None:
    """Run one example in a savepoint rolled back afterwards; throttles and caches start afresh."""
    cache.clear()
    savepoint = transaction.savepoint_create()
    try:
        run()
    finally:
        transaction.savepoint_rollback(savepoint)


def _returns_written() -> set[str]:
    return set(Return.objects.filter(period__label=QUARTER).values_list("indicator__code", flat=True))


# ---- The entry form ------------------------------------------------------------------------------------


@given(
    code=st.sampled_from(CODES),
    value=typed_numbers,
    commentary=free_text,
    version=st.one_of(st.just("0"), typed_numbers),
    submit=st.booleans(),
)
def test_the_entry_form_never_fails_and_a_refusal_writes_nothing(
    client, officer, code, value, commentary, version, submit
):
    client.force_login(officer)
    slug = code.lower().replace(" ", "-")
    data = {
        "value": value,
        "commentary": commentary,
        "version": version,
        **({"submit": "1"} if submit else {"draft": "1"}),
    }

    def run():
        before = snapshot()
        try:
            response = client.post(ENTRY.format(slug=slug), data)
        except ValueError as error:  # the test client itself refuses a NUL in form data, before the server
            assert "null characters" in str(error)
            return
        assert response.status_code in (200, 302), response.status_code
        event(f"entry form answered {response.status_code}")
        if response.status_code == 200:  # the form shown again with its errors
            assert "govuk-error-summary" in response.content.decode()
            assert snapshot() == before
        else:
            assert code in _returns_written()

    _each_example(run)


# ---- The returns upload --------------------------------------------------------------------------------

upload_rows = st.lists(
    st.tuples(
        st.sampled_from([*CODES, "NI 999", "", "ni 156", " NI 192 "]),
        st.sampled_from([QUARTER, "2010/11 Q2", "", "2010-11-q3"]),
        st.sampled_from(["", "Male", "x"]),
        typed_numbers,
        free_text,
    ),
    min_size=0,
    max_size=4,
)
headers = st.one_of(
    st.just(["indicator", "period", "breakdown", "value", "commentary"]),
    st.permutations(["indicator", "period", "breakdown", "value", "commentary"]),
    st.lists(st.sampled_from(["indicator", "period", "value", "commentary", "Value", "", "colour"]), max_size=6),
)


def _csv_bytes(header, rows, encoding) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


xlsx_cells = st.one_of(
    typed_numbers,
    free_text.map(lambda s: s[:40]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.sampled_from(["=1+1", "=SUM(A1:A2)", "=NI156"]),
)


def _xlsx_bytes(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


files = st.one_of(
    st.tuples(headers, upload_rows, st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"])).map(
        lambda t: ("returns.csv", _csv_bytes(*t))
    ),
    st.tuples(headers, st.lists(st.lists(xlsx_cells, max_size=6), max_size=4)).map(
        lambda t: ("returns.xlsx", _xlsx_bytes(*t))
    ),
    st.tuples(headers, upload_rows).map(lambda t: ("returns.xlsx", _xlsx_bytes(t[0], [list(r) for r in t[1]]))),
    st.tuples(st.sampled_from(["returns.csv", "returns.xlsx", "returns.txt"]), st.binary(max_size=300)),
)


@given(upload=files, submit=st.booleans())
def test_the_upload_never_fails_and_takes_every_row_or_none(client, officer, upload, submit):
    client.force_login(officer)
    name, content = upload

    def run():
        before = snapshot()
        data = {"file": SimpleUploadedFile(name, content), **({"submit_all": "1"} if submit else {})}
        response = client.post(UPLOAD, data)
        assert response.status_code in (200, 302), response.status_code
        event(f"upload answered {response.status_code}")
        if response.status_code == 200:
            assert "govuk-error-summary" in response.content.decode()
            assert snapshot() == before

    _each_example(run)


# ---- The returns API -----------------------------------------------------------------------------------

plausible_bodies = st.fixed_dictionaries(
    {
        "values": st.fixed_dictionaries({"value": st.integers(0, 100) | st.integers(0, 100).map(str)}),
        "version": st.just(0),
    },
    optional={"commentary": free_text, "submit": st.booleans()},
)
api_bodies = st.one_of(
    plausible_bodies,
    st.fixed_dictionaries(
        {"values": st.one_of(st.fixed_dictionaries({"value": json_scalars}), json_values), "version": json_scalars},
        optional={"commentary": json_scalars, "submit": json_scalars, "data_source": json_scalars, "x": json_scalars},
    ),
    json_values,
)


@given(code=st.sampled_from(CODES), body=api_bodies, raw=st.one_of(st.none(), st.binary(max_size=60)))
def test_the_api_never_fails_and_a_refusal_writes_nothing(client, officer, code, body, raw):
    client.force_login(officer)
    slug = code.lower().replace(" ", "-")
    payload = raw if raw is not None else json.dumps(body)  # NaN and Infinity go as Python writes them

    def run():
        before = snapshot()
        response = client.put(API.format(slug=slug), payload, content_type="application/json")
        assert response.status_code in (200, 400, 409), (response.status_code, response.content[:300])
        event(f"API answered {response.status_code}")
        if response.status_code == 200:
            assert code in _returns_written()
        else:
            assert snapshot() == before

    _each_example(run)


# ---- import_records ------------------------------------------------------------------------------------

plausible_target_rows = st.lists(
    st.tuples(
        st.just("laa-2008-11"),
        st.just("NI 192"),
        st.sampled_from(["2009/10", "2010/11"]),
        st.just(""),
        st.integers(0, 100).map(str),
        st.integers(0, 100).map(str),
        st.sampled_from(["no", "yes"]),
    ),
    min_size=1,
    max_size=2,
    unique_by=lambda row: row[2],
)
target_rows = plausible_target_rows | st.lists(
    st.tuples(
        st.sampled_from(["laa-2008-11", "corporate-plan-2011-14", "no-such-plan", ""]),
        st.sampled_from(["NI 192", "NI 156", "NI 999", ""]),
        st.sampled_from(["2010/11", "2009/10", "2099/00", ""]),
        st.sampled_from(["", "Male", "x"]),
        free_text.map(lambda s: s[:30]),
        typed_numbers,
        st.sampled_from(["no", "yes", "", "maybe"]),
    ),
    min_size=1,
    max_size=4,
)


@given(rows=target_rows)
def test_import_records_never_fails_and_takes_every_row_or_none(tmp_path, rows):
    path = tmp_path / "targets.csv"
    header = ["plan", "indicator", "period", "breakdown", "text", "value", "designated"]
    path.write_bytes(_csv_bytes(header, rows, "utf-8"))

    def run():
        before = snapshot()
        try:
            call_command("import_records", "targets", str(path), verbosity=0)
        except CommandError as error:
            event("import refused")
            assert "row " in str(error) or "column" in str(error), str(error)
            assert snapshot() == before
        else:
            event("import taken")
            # Every row was taken: each key now has its target.
            for plan, code, period, breakdown, *_ in rows:
                keys = {"plan__slug": plan, "indicator__code": code, "period__label": period}
                parts = {"breakdown__name": breakdown} if breakdown else {"breakdown__isnull": True}
                assert Target.objects.filter(**keys, **parts).exists(), (plan, code, period, breakdown)

    _each_example(run)
