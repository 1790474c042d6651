# Profile moves from `returns` to `accounts` (docs/decisions/0004-layers-and-one-home-per-rule.md): the state moves
# here, the table keeps its rows and is renamed from returns_profile to accounts_profile.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_helpers import move_content_types

forwards, backwards = move_content_types("returns", "accounts", ["profile"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0002_partner_may_enter_returns"),
        ("plans", "0003_action_officers_alter_action_owner"),
        ("returns", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Profile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("department", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="staff", to="plans.orgunit")),
                        ("partner", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="users", to="partners.partner")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="profile", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "returns_profile"},
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="profile", table=None),
        migrations.RunPython(forwards, backwards),
    ]
