"""How static files are stored: hashed names (cached for a year), compressed copies, and ES module
imports rewritten to the hashed names too, so static/js/init.js always loads the GOV.UK Frontend
file of the same deployment."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
