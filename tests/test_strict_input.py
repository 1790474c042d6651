"""Nothing bad gets in (issue 10): each defect found by feeding malformed files and payloads through every
write path (the entry form, the returns upload, the returns API, the admin's import, import_records) has
its test here. The suite runs on SQLite and on PostgreSQL, where NUL and control characters matter most."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from indicators.models import Indicator, Return, Target
from plans.models import Risk
from tests.conftest import snapshot

pytestmark = pytest.mark.django_db

ENTRY = "/returns/2010-11-q3/indicators/ni-156/"
UPLOAD = "/returns/2010-11-q3/upload/"
API = "/api/v1/returns/ni-156/2010-11-q3/"
HEADER = ["indicator", "period", "breakdown", "value", "commentary"]


def _csv(rows: list[list], header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(rows: list[list], header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, name: str, content: bytes, **data):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content), **data})


def _put(client, body):
    return client.put(API, json.dumps(body), content_type="application/json")


def _returns() -> list:
    return list(Return.objects.filter(period__label="2010/11 Q3").values_list("indicator__code", "commentary"))


# ---- Hidden characters --------------------------------------------------------------------------------


@pytest.mark.parametrize("character", ["\x07", "\x00", "\x1b"])
def test_a_hidden_character_in_commentary_is_refused_by_every_channel(client, people, open_round, character):
    client.force_login(people["officer"])
    text = f"Fewer{character} offences"

    form = client.post(ENTRY, {"value": "560", "commentary": text, "version": "0", "draft": "1"})
    assert form.status_code == 200
    assert "The text contains a hidden character" in form.content.decode()

    upload = _upload(client, "r.csv", _csv([["NI 156", "2010/11 Q3", "", "560", text]]))
    assert "row 2, column &#x27;commentary&#x27;: the text contains a hidden character" in upload.content.decode()

    api = _put(client, {"values": {"value": 560}, "commentary": text, "version": 0})
    assert api.status_code == 400
    assert "hidden character" in api.json()["errors"]["commentary"]

    assert _returns() == []
    # Nothing stored can break the download.
    assert client.get("/returns/2010-11-q3/download.xlsx").status_code == 200


def test_the_admin_refuses_a_hidden_character_in_any_text_field(admin_client):
    target = Target.objects.filter(indicator__code="NI 16").first()
    url = f"/admin/indicators/target/{target.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    from tests.forms_helper import form_data

    data = form_data(page.content.decode())
    data["text"] = "31.10\x07"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The text contains a hidden character (U+0007, bell)" in response.content.decode()
    target.refresh_from_db()
    assert "\x07" not in target.text


# ---- Numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["4,3", "1,2,3,4"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused_on_every_channel(client, people, open_round, typed):
    client.force_login(people["officer"])
    form = client.post(ENTRY, {"value": typed, "version": "0", "draft": "1"})
    assert "use a comma only to separate thousands" in form.content.decode()
    upload = _upload(client, "r.csv", _csv([["NI 156", "2010/11 Q3", "", typed, ""]]))
    assert "row 2, column &#x27;value&#x27;" in upload.content.decode()
    assert "use a comma only to separate thousands" in upload.content.decode()
    api = _put(client, {"values": {"value": typed}, "version": 0})
    assert api.status_code == 400
    assert "use a comma only to separate thousands" in api.json()["errors"]["values.value"]
    assert _returns() == []


def test_thousands_separators_and_a_percent_sign_are_read_where_the_meaning_is_plain(client, people, open_round):
    Indicator.objects.get(code="NI 192").officers.add(people["officer"])
    client.force_login(people["officer"])
    assert client.post(ENTRY, {"value": "5,810", "version": "0", "draft": "1"}).status_code == 302
    response = client.post(
        "/returns/2010-11-q3/indicators/ni-192/", {"value": "42.5%", "version": "0", "draft": "1"}
    )
    assert response.status_code == 302
    values = dict(Return.objects.filter(period__label="2010/11 Q3").values_list("indicator__code", "values__value"))
    assert (values["NI 156"], values["NI 192"]) == (5810, 42.5)


def test_a_spreadsheets_float_noise_is_read_as_the_number_the_cell_shows(client, people, open_round):
    Indicator.objects.get(code="NI 192").officers.add(people["officer"])  # a percentage
    client.force_login(people["officer"])
    response = _upload(client, "r.xlsx", _xlsx([["NI 192", "2010/11 Q3", None, 43.300000000000004, "x"]]))
    assert response.status_code == 302
    assert str(Return.objects.get(indicator__code="NI 192", period__label="2010/11 Q3").values.get().value) == "43.3000"


def test_a_formula_cell_is_refused_not_read_as_empty(client, people, open_round):
    client.force_login(people["officer"])
    response = _upload(client, "r.xlsx", _xlsx([["NI 156", "2010/11 Q3", None, "=550+10", "x"]]))
    page = response.content.decode()
    assert "row 2, column &#x27;value&#x27;: type the value, not a formula (=550+10)" in page
    assert _returns() == []


def test_too_many_rows_are_refused_while_reading(client, people, open_round):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for _ in range(20_001):
        sheet.append(["NI 156", "2010/11 Q3", "", "560", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(people["officer"])
    response = _upload(client, "big.xlsx", buffer.getvalue())
    assert "The file has more than 20,000 rows; the limit is 20,000." in response.content.decode()


# ---- Admin and command imports ----------------------------------------------------------------------


TARGET_HEADER = ["plan", "indicator", "period", "breakdown", "text", "value", "designated"]


def _targets_file(tmp_path, rows) -> str:
    path = tmp_path / "targets.csv"
    path.write_bytes(_csv(rows, header=TARGET_HEADER))
    return str(path)


def test_a_key_twice_in_one_file_is_refused_naming_both_rows(tmp_path):
    path = _targets_file(
        tmp_path,
        [
            ["laa-2008-11", "NI 192", "2010/11", "", "43", "43", "no"],
            ["laa-2008-11", "NI 192", "2010/11", "", "44", "44", "no"],
        ],
    )
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import_records", "targets", path)
    assert "row 3: the same plan, indicator, period, breakdown as row 2: each may appear once" in str(error.value)
    assert snapshot() == before


@pytest.mark.parametrize("value", ["-40", "150"])
def test_a_target_outside_its_indicators_unit_is_refused(tmp_path, value):
    path = _targets_file(tmp_path, [["laa-2008-11", "NI 192", "2010/11", "", value, value, "no"]])
    with pytest.raises(CommandError) as error:
        call_command("import_records", "targets", path)
    assert (
        "row 2, column 'value': the target must be a percentage between 0 and 100 (NI 192 is measured as percentage)"
        in str(error.value)
    )


def test_import_messages_are_words_not_tracebacks_or_class_names(tmp_path):
    path = _targets_file(tmp_path, [["laa-2008-11", "NI 192", "2010/11", "", "x", "1.2.3", "no"]])
    with pytest.raises(CommandError) as error:
        call_command("import_records", "targets", path)
    message = str(error.value)
    assert "row 2, column 'value': '1.2.3' is not a number" in message
    assert "ConversionSyntax" not in message and "Traceback" not in message


def test_the_admin_import_refuses_unknown_columns_as_the_command_does(admin_client):
    content = _csv([["laa-2008-11", "NI 192", "2010/11", "", "43", "43", "no", "x"]], header=[*TARGET_HEADER, "colour"])
    response = admin_client.post(
        "/admin/indicators/target/import/",
        {"import_file": SimpleUploadedFile("t.csv", content), "format": "0", "resource": "0"},
    )
    page = response.content.decode()
    assert "unknown column(s) &#x27;colour&#x27;" in page
    assert "Traceback" not in page


def test_a_new_risk_is_added_at_the_end_of_a_register_that_has_risks(tmp_path):
    plan_risks = Risk.objects.filter(plan__slug="corporate-plan-2011-14")
    last = plan_risks.order_by("-order").first()
    path = tmp_path / "risks.csv"
    path.write_bytes(
        _csv(
            [["corporate-plan-2011-14", "99", "A new risk", "4", "2", "8"]],
            header=["plan", "reference", "title", "initial_likelihood", "initial_impact", "initial_score"],
        )
    )
    call_command("import_records", "risks", str(path))
    added = plan_risks.get(reference="99")
    assert (added.order, added.title, added.initial_score) == (last.order + 1, "A new risk", 8)


# ---- The returns API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"values": {"value": "560.5"}, "version": 0}, "value", "must be a whole number"),  # NI 156 counts
        ({"values": {"value": 560}, "data_source": "x" * 501, "version": 0}, "data_source", "at most 500"),
        ({"values": [43], "version": 0}, "values", "an object of each part"),
        ({"values": {"value": 560}, "commentary": {"a": 1}, "version": 0}, "commentary", "must be text"),
        ({"values": {"value": True}, "version": 0}, "values.value", "a figure is a number"),
        ({"values": {"value": 560}, "submit": "yes", "version": 0}, "submit", "must be true or false"),
        ({"values": {"value": 560}, "version": "0"}, "version", "give the version"),
        ({"values": {"value": 560}, "version": 0, "colour": "red"}, "colour", "unknown field"),
    ],
)
def test_the_api_answers_400_with_the_field_for_bad_input(client, people, open_round, body, field, says):
    client.force_login(people["officer"])
    response = _put(client, body)
    assert response.status_code == 400
    assert says in str(response.json()["errors"][field])
    assert _returns() == []


def test_the_api_refuses_more_decimal_places_than_are_stored(client, people, open_round):
    Indicator.objects.get(code="NI 192").officers.add(people["officer"])
    client.force_login(people["officer"])
    response = client.put(
        "/api/v1/returns/ni-192/2010-11-q3/",
        json.dumps({"values": {"value": "43.12345"}, "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "decimal places" in str(response.json()["errors"])


def test_the_api_answers_409_only_for_a_stale_version(client, people, open_round):
    client.force_login(people["officer"])
    assert _put(client, {"values": {"value": 560}, "version": 0}).status_code == 200
    stale = _put(client, {"values": {"value": 561}, "version": 0})
    assert stale.status_code == 409
    assert "changed by" in stale.json()["detail"]
