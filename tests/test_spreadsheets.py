"""Spreadsheet import and export: natural keys, exact round trips, all-or-nothing, clear reports."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command

from indicators.models import DataVersion, Indicator, Target
from partners.spreadsheets import EXPORT_ONLY, RESOURCES
from tests.conftest import snapshot

pytestmark = pytest.mark.django_db

TARGET_HEADER = ["plan", "indicator", "period", "breakdown", "text", "value", "designated"]


def write_csv(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("kind", sorted(set(RESOURCES) - EXPORT_ONLY))
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_reimporting_an_export_changes_nothing(tmp_path, kind, file_format):
    path = tmp_path / f"{kind}.{file_format}"
    call_command("export_records", kind, str(path), verbosity=0)
    before = snapshot()
    out = io.StringIO()

    call_command("import_records", kind, str(path), stdout=out)

    assert "Imported: 0 new, 0 changed," in out.getvalue()
    assert snapshot() == before


def test_a_file_with_bad_rows_is_refused_whole_and_each_problem_is_named(tmp_path):
    path = write_csv(
        tmp_path / "targets.csv",
        TARGET_HEADER,
        [
            ["laa-2008-11", "NI 16", "2010/11", "", "30.00 (5,600 offences)", "30.00", "yes"],  # good
            ["laa-2008-11", "NI 999", "2010/11", "", "1", "1", "no"],  # unknown indicator
            ["laa-2008-11", "NI 16", "2009/10", "", "33.37", "thirty", "yes"],  # text for a number
            ["laa-2008-11", "NI 16", "2012/2013", "", "33.37", "33.37", "yes"],  # unknown period
            ["laa-2008-11", "NI 120", "2009/10", "unknown", "1", "1", "yes"],  # unknown breakdown
        ],
    )
    before = snapshot()

    with pytest.raises(CommandError) as error:
        call_command("import_records", "targets", str(path))

    message = str(error.value)
    assert message.startswith("Nothing was imported: 4 problem(s).")
    assert "row 3, column 'indicator': no indicator 'NI 999'" in message
    assert "row 4, column 'value': 'thirty' is not a number" in message
    assert "row 5, column 'period': unknown period '2012/2013'" in message
    assert "row 6, column 'breakdown': NI 120 All –age all cause mortality rate has no breakdown 'unknown'" in message
    assert snapshot() == before  # not even the good first row


def test_dry_run_previews_and_changes_nothing_then_import_applies_and_is_audited(tmp_path):
    path = write_csv(
        tmp_path / "targets.csv",
        TARGET_HEADER,
        [["laa-2008-11", "NI 016", "2010/11", "", "30.00 (5,600 offences)", "30.00", "yes"]],  # code as printed
    )
    target = Target.objects.get(plan__slug="laa-2008-11", indicator__code="NI 16", period__label="2010/11")
    out = io.StringIO()

    call_command("import_records", "targets", str(path), "--dry-run", stdout=out)
    assert "Would import: 0 new, 1 changed, 0 unchanged." in out.getvalue()
    target.refresh_from_db()
    assert target.text == "31.10 (5,810 offences)"

    call_command("import_records", "targets", str(path), stdout=out)
    target.refresh_from_db()
    assert (target.text, str(target.value)) == ("30.00 (5,600 offences)", "30.0000")
    assert target.history.first().prev_record.text == "31.10 (5,810 offences)"


def test_unknown_or_missing_columns_are_refused(tmp_path):
    typo = write_csv(tmp_path / "typo.csv", ["plan", "indicator", "period", "breakdown", "vaule"], [])
    with pytest.raises(CommandError, match=r"row 1: unknown column\(s\) 'vaule'"):
        call_command("import_records", "targets", str(typo))

    missing = write_csv(tmp_path / "missing.csv", ["plan", "indicator", "text"], [])
    with pytest.raises(CommandError, match=r"missing column\(s\) 'period', 'breakdown'"):
        call_command("import_records", "targets", str(missing))


def test_formulas_are_neutralised_on_export_and_restored_on_import(tmp_path):
    target = Target.objects.get(plan__slug="laa-2008-11", indicator__code="NI 16", period__label="2010/11")
    target.text = '=HYPERLINK("http://evil.example","click")'
    target.save()

    csv_path, xlsx_path = tmp_path / "t.csv", tmp_path / "t.xlsx"
    call_command("export_records", "targets", str(csv_path), verbosity=0)
    call_command("export_records", "targets", str(xlsx_path), verbosity=0)

    assert "'=HYPERLINK(" in csv_path.read_text(encoding="utf-8")
    assert "'-32.0% (29.3)" in csv_path.read_text(encoding="utf-8")  # NI 112's text starts with a minus
    sheet = openpyxl.load_workbook(xlsx_path).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert [(c.value, c.data_type) for c in cells] == [('\'=HYPERLINK("http://evil.example","click")', "s")]

    before = snapshot()
    call_command("import_records", "targets", str(xlsx_path), verbosity=0)
    assert snapshot() == before  # the apostrophe is removed again on import


def test_a_zip_bomb_workbook_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))

    with pytest.raises(CommandError, match="expands to 60 MB; the limit is 50 MB"):
        call_command("import_records", "targets", str(path))


def test_a_file_that_is_not_a_spreadsheet_gets_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "targets.xlsx"
    path.write_bytes(b"this is not a workbook")
    with pytest.raises(CommandError, match="The file is not an XLSX workbook"):
        call_command("import_records", "targets", str(path))

    latin = tmp_path / "targets.csv"
    latin.write_bytes("plan,indicator\nlaa-2008-11,Bogotá".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_records", "targets", str(latin))


def test_values_are_export_only_here_because_figures_come_in_through_the_returns_upload(tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'values'"):
        call_command("import_records", "values", str(tmp_path / "values.csv"))


def test_a_partner_alias_belonging_to_another_partner_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "partners.csv",
        ["slug", "name", "aliases"],
        [["active-luton", "Active Luton", "Active Luton; LBC"]],
    )
    with pytest.raises(CommandError, match="row 2, column 'aliases': 'LBC' is already a name of Luton Borough Council"):
        call_command("import_records", "partners", str(path))


def test_admin_import_previews_and_refuses_a_bad_file_whole(admin_client, tmp_path):
    bad = "plan,indicator,period,breakdown,text,value,designated\nlaa-2008-11,NI 16,2010/11,,x,abc,yes\n"
    before = snapshot()

    response = admin_client.post(
        "/admin/indicators/target/import/",
        {"format": "0", "resource": "0", "import_file": _upload("t.csv", bad)},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Errors" in page and "is not a number" in page
    assert snapshot() == before

    good = "plan,indicator,period,breakdown,text,value,designated\nlaa-2008-11,NI 16,2010/11,,30.00,30.00,yes\n"
    preview = admin_client.post(
        "/admin/indicators/target/import/",
        {"format": "0", "resource": "0", "import_file": _upload("t.csv", good)},
    ).content.decode()
    assert "Confirm import" in preview
    assert snapshot() == before  # a preview writes nothing


@pytest.mark.parametrize("ni16_first", [True, False])
def test_a_breakdown_is_read_within_its_rows_indicator_though_each_cell_is_read_once(tmp_path, ni16_first):
    """An import reads each distinct cell once per file (SafeResource.clean_cell), but a breakdown's name
    means something only within its row's indicator: "male" is NI 120's (split by sex), never NI 16's."""
    rows = [
        ["laa-2008-11", "NI 16", "2009/10", "male", "33", "33", "no"],
        ["laa-2008-11", "NI 120", "2009/10", "male", "790 (m)", "790", "no"],
    ]
    path = write_csv(tmp_path / "targets.csv", TARGET_HEADER, rows if ni16_first else rows[::-1])

    with pytest.raises(CommandError) as error:
        call_command("import_records", "targets", str(path), "--dry-run")

    message = str(error.value)
    ni16_row = 2 if ni16_first else 3
    assert message.startswith("Nothing was imported: 1 problem(s).")
    assert f"row {ni16_row}, column 'breakdown': NI 16 " in message
    assert "has no breakdown 'male' (it has: none)" in message


def test_an_indicator_without_a_slug_is_matched_on_the_slug_its_code_gives(tmp_path):
    """A row's key is read once for the whole file, but a resource's own rule may rewrite a key cell first:
    an indicator given its code and no slug goes by the slug its code gives, so it updates NI 16."""
    path = tmp_path / "indicators.csv"
    call_command("export_records", "indicators", str(path), verbosity=0)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ni16 = next(row for row in rows if row["code"] == "NI 16")
    ni16.update(slug="", title="Serious acquisitive crime (renamed)")
    write_csv(path, list(ni16), [list(ni16.values())])
    count = Indicator.objects.count()

    call_command("import_records", "indicators", str(path), verbosity=0)

    assert Indicator.objects.count() == count
    assert Indicator.objects.get(slug="ni-16").title == "Serious acquisitive crime (renamed)"


def test_the_admin_import_confirms_what_it_previewed_in_bulk_with_its_history(admin_client, admin_user):
    """Preview, then confirm: a changed and a new target written in bulk, each with a history row naming the
    administrator and the import, logged in the admin, and the publication version moved once."""
    changed = Target.objects.get(plan__slug="laa-2008-11", indicator__code="NI 16", period__label="2010/11")
    assert not Target.objects.filter(plan__slug="laa-2008-11", indicator__code="NI 16", period__label="2010/11 Q1")
    content = (
        "plan,indicator,period,breakdown,text,value,designated\n"
        "laa-2008-11,NI 16,2010/11,,30.00,30.00,yes\n"
        "laa-2008-11,NI 16,2010/11 Q1,,7.50,7.5,no\n"
    )
    preview = admin_client.post(
        "/admin/indicators/target/import/", {"format": "0", "resource": "0", "import_file": _upload("t.csv", content)}
    ).content.decode()
    assert "Confirm import" in preview
    confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', preview))
    version = DataVersion.current_publication()

    response = admin_client.post(
        "/admin/indicators/target/process_import/",
        {name: confirm[name] for name in ("import_file_name", "original_file_name", "format", "resource")},
    )

    assert response.status_code == 302
    changed.refresh_from_db()
    added = Target.objects.get(plan__slug="laa-2008-11", indicator__code="NI 16", period__label="2010/11 Q1")
    assert (changed.text, str(changed.value), added.text, str(added.value)) == ("30.00", "30.0000", "7.50", "7.5000")
    latest = [target.history.first() for target in (changed, added)]
    stamps = [(record.history_type, record.history_user, record.channel) for record in latest]
    assert stamps == [("~", admin_user, "import"), ("+", admin_user, "import")]
    assert DataVersion.current_publication() == version + 1
    logged = LogEntry.objects.filter(user=admin_user, object_id__in=[str(changed.pk), str(added.pk)])
    assert sorted(logged.values_list("action_flag", flat=True)) == [1, 2]  # an addition and a change


def _upload(name: str, content: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
