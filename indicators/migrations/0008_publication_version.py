from django.db import migrations


class Migration(migrations.Migration):
    """The data version becomes the publication version: only what the public sees moves it
    (indicators/publication.py), so drafts and submissions no longer empty the public caches."""

    dependencies = [
        ("indicators", "0007_indicator_history"),
    ]

    operations = [
        migrations.RenameField(model_name="dataversion", old_name="number", new_name="published"),
        migrations.AlterModelOptions(name="dataversion", options={"verbose_name": "publication version"}),
    ]
