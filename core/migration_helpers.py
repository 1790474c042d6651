"""Pieces for migrations that move a model from one app to another without copying its rows."""


def move_content_types(from_app: str, to_app: str, models: list[str]):
    """A RunPython pair that relabels the moved models' content types, so that permissions granted on
    them (and admin log entries) follow the model to its new app."""

    def forwards(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if not content_type.objects.filter(app_label=to_app, model=model).exists():
                content_type.objects.filter(app_label=from_app, model=model).update(app_label=to_app)

    def backwards(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if not content_type.objects.filter(app_label=from_app, model=model).exists():
                content_type.objects.filter(app_label=to_app, model=model).update(app_label=from_app)

    return forwards, backwards
