"""The admin's import and export, with the portal's rules."""

from import_export.admin import ImportExportModelAdmin

from core.audit import Channel, audit
from core.importing.formats import SafeCSV, SafeXLSX
from core.importing.reports import ImportProblems
from core.tables import ImportFileError


class SafeImportExportAdmin(ImportExportModelAdmin):
    """Admin import/export with the portal's rules: the one reader, and all-or-nothing imports
    (import-export otherwise keeps the good rows of a file with bad ones). Errors are shown as
    messages with their row and column, never as tracebacks (templates/admin/import_export/import.html;
    import-export logs each error with its traceback)."""

    formats = [SafeCSV, SafeXLSX]
    import_error_display = ("message",)

    def process_dataset(self, dataset, form, request, **kwargs):
        with audit(channel=Channel.IMPORT, user=request.user):
            return super().process_dataset(dataset, form, request, **kwargs)

    def get_import_data_kwargs(self, **kwargs):
        import_kwargs = super().get_import_data_kwargs(**kwargs)
        import_kwargs["rollback_on_validation_errors"] = True
        return import_kwargs

    def add_data_read_fail_error_to_form(self, form, error):
        # Say what was wrong with the file in words, not with a traceback.
        if isinstance(error, ImportProblems):
            for problem in error.problems:
                form.add_error("import_file", str(problem))
        elif isinstance(error, ImportFileError):
            form.add_error("import_file", str(error))
        else:
            form.add_error("import_file", "The file could not be read: save it as .xlsx or as CSV UTF-8 and try again.")
