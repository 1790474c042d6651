# ReportingRound's state leaves for `returns` (see returns/migrations/0002); its tables move there.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_data_version"),
        ("returns", "0002_reporting_round_moved_from_indicators"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(model_name="reportinground", name="round_deadline_after_opening"),
                migrations.DeleteModel(name="HistoricalReportingRound"),
                migrations.DeleteModel(name="ReportingRound"),
            ],
            database_operations=[],
        ),
    ]
