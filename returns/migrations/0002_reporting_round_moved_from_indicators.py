# ReportingRound (and its history) moves from `indicators` to `returns`, the workflow that owns it
# (docs/decisions/0004-layers-and-one-home-per-rule.md): the state moves here, the tables keep their rows and are
# renamed. Profile's state leaves for `accounts`. Action updates get a database check on their
# percentage.

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from core.migration_helpers import move_content_types

forwards, backwards = move_content_types("indicators", "returns", ["reportinground", "historicalreportinground"])

STATES = [("upcoming", "Not open yet"), ("open", "Open for returns"), ("locked", "Signed off and locked")]
CHANNELS = [
    ("form", "Web form"),
    ("admin", "Administration"),
    ("import", "Spreadsheet import"),
    ("api", "API"),
    ("command", "Management command"),
]
PERCENT = [django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_profile_moved_from_returns"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("indicators", "0004_data_version"),
        ("returns", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportingRound",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("opens_on", models.DateField()),
                        ("deadline", models.DateField()),
                        ("state", models.CharField(choices=STATES, default="upcoming", max_length=12)),
                        ("locked_at", models.DateTimeField(blank=True, null=True)),
                        ("reopen_reason", models.TextField(blank=True, help_text="Why the performance team last reopened it.")),
                        ("locked_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("period", models.OneToOneField(limit_choices_to={"kind": "quarter"}, on_delete=django.db.models.deletion.PROTECT, related_name="round", to="indicators.reportingperiod")),
                    ],
                    options={
                        "ordering": ["-period__start"],
                        "db_table": "indicators_reportinground",
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("deadline__gte", models.F("opens_on"))), name="round_deadline_after_opening"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalReportingRound",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("channel", models.CharField(choices=CHANNELS, default="command", max_length=16)),
                        ("opens_on", models.DateField()),
                        ("deadline", models.DateField()),
                        ("state", models.CharField(choices=STATES, default="upcoming", max_length=12)),
                        ("locked_at", models.DateTimeField(blank=True, null=True)),
                        ("reopen_reason", models.TextField(blank=True, help_text="Why the performance team last reopened it.")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                        ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("locked_by", models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("period", models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={"kind": "quarter"}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="indicators.reportingperiod")),
                    ],
                    options={
                        "verbose_name": "historical reporting round",
                        "verbose_name_plural": "historical reporting rounds",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                        "db_table": "indicators_historicalreportinground",
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name="reminderlog",
                    name="round",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reminders", to="returns.reportinground"),
                ),
                migrations.DeleteModel(name="Profile"),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="reportinground", table=None),
        migrations.AlterModelTable(name="historicalreportinground", table=None),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="actionupdate",
            name="percent_complete",
            field=models.PositiveSmallIntegerField(default=0, validators=PERCENT),
        ),
        migrations.AlterField(
            model_name="historicalactionupdate",
            name="percent_complete",
            field=models.PositiveSmallIntegerField(default=0, validators=PERCENT),
        ),
        migrations.AddConstraint(
            model_name="actionupdate",
            constraint=models.CheckConstraint(condition=models.Q(("percent_complete__gte", 0), ("percent_complete__lte", 100)), name="action_update_percent_0_to_100"),
        ),
    ]
