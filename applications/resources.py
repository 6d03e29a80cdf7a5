"""django-import-export resources for the applicant and exam-result files (selection-files.md §2, §3).

Export writes the contract's columns, so an exported file can be imported again. Import does not use
import-export's row-by-row machinery: it hands the whole file to the same service as the management
commands (`applications.services`), so the admin and the command accept and reject the same files.
The admin passes the call chosen in its import form as `call=`.
"""
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import Error, Result, RowResult

from applications.columns import labelled
from applications.models import BONUS_FIELDS, FLAG_FIELDS, Application, ExamResult
from applications.services import ImportReport, TableImportError, applications_import, exam_results_import
from applications.tabular import FILE_ROW
from mobility.spreadsheets import spreadsheet_text

IMPORT_TYPES = {
    "created": RowResult.IMPORT_TYPE_NEW,
    "updated": RowResult.IMPORT_TYPE_UPDATE,
    "unchanged": RowResult.IMPORT_TYPE_SKIP,
}


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return str(value)
    return str(getattr(value, "code", value))


class ContractNumberWidget(widgets.NumberWidget):
    """Numbers as the contract writes them: a dot for decimals, whatever the language of the admin."""

    def render(self, value, obj=None, **kwargs):
        if self.coerce_to_string and not kwargs.get("force_native_type"):
            return "" if value is None else str(value)
        return value


class ContractBooleanWidget(widgets.BooleanWidget):
    def render(self, value, obj=None, **kwargs):
        if self.coerce_to_string and not kwargs.get("force_native_type"):
            return "" if value is None else ("yes" if value else "no")
        return value


class ContractImportMixin:
    """`import_data` through an import service: validate the whole file, then write it in bulk."""

    import_service = None

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, (models.DecimalField, models.IntegerField)) and not f.is_relation:
            return ContractNumberWidget
        if isinstance(f, models.BooleanField):
            return ContractBooleanWidget
        return super().widget_from_django_field(f, default)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # Numbers and booleans are written as the contract wants; only text can carry a formula.
        if isinstance(field.widget, (widgets.NumberWidget, widgets.BooleanWidget)):
            return value
        return spreadsheet_text(value)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs) -> Result:
        result = self.get_result_class()()
        result.total_rows = len(dataset)
        call = kwargs.get("call")
        if call is None:
            error = ValueError(_("Choose the call the file belongs to."))
            if raise_errors:
                raise error
            result.append_base_error(Error(error))
            return result
        headers = list(dataset.headers or [])
        try:
            # The ORM path: the admin shows and logs the saved instances, which the COPY path does not make.
            report = type(self).import_service(
                call=call, rows=list(dataset), headers=headers, actor=kwargs.get("user"), dry_run=dry_run, fast=False,
            )
        except TableImportError as exc:
            if raise_errors:
                raise
            self._add_errors(result, exc, dataset, headers)
            return result
        self._add_rows(result, report, call)
        return result

    def _add_errors(self, result: Result, exc: TableImportError, dataset, headers: list) -> None:
        result.import_error = exc
        result.diff_headers = [str(header) for header in headers]
        for error in exc.file_errors():
            result.append_base_error(Error(ValueError(error.message)))
        for number, errors in exc.by_row().items():
            if number == FILE_ROW:
                continue
            messages: dict[str, list[str]] = {}
            for error in errors:
                messages.setdefault(labelled(error.column), []).append(error.message)
            values = headers if number == 1 else dataset[number - 2]
            row = dict(zip(result.diff_headers, ("" if value is None else value for value in values)))
            result.append_invalid_row(number, row, ValidationError(messages))
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1

    def _add_rows(self, result: Result, report: ImportReport, call) -> None:
        result.diff_headers = list(report.columns)
        for imported in report.rows:
            row = self.get_row_result_class()()
            row.import_type = IMPORT_TYPES[imported.action]
            row.instance = imported.instance
            row.object_id = imported.instance.pk
            row.object_repr = f"{call.code} / {imported.student_number}"
            row.diff = [
                f"{_display(imported.changes[column][0])} → {_display(imported.changes[column][1])}"
                if column in imported.changes else _display(imported.values.get(column))
                for column in report.columns
            ]
            result.append_row_result(row)
            result.increment_row_result_total(row)


APPLICATION_COLUMNS = (
    "student_number", "first_name", "last_name", "email", "department_code", "level", "gpa",
    "previous_degree_gpa", "prior_participations", *FLAG_FIELDS, *BONUS_FIELDS,
)


class ApplicationResource(ContractImportMixin, resources.ModelResource):
    """The applicant file of the contract: one row per application of a call."""

    import_service = staticmethod(applications_import)

    student_number = fields.Field(attribute="applicant__student_number", column_name="student_number")
    first_name = fields.Field(attribute="applicant__first_name", column_name="first_name")
    last_name = fields.Field(attribute="applicant__last_name", column_name="last_name")
    email = fields.Field(attribute="applicant__email", column_name="email")
    department_code = fields.Field(attribute="department__code", column_name="department_code")

    class Meta:
        model = Application
        fields = APPLICATION_COLUMNS
        export_order = APPLICATION_COLUMNS
        import_id_fields = ("student_number",)

    def get_queryset(self):
        return super().get_queryset().select_related("applicant", "department")


EXAM_RESULT_COLUMNS = ("student_number", "written", "listening", "absent")


class ExamResultResource(ContractImportMixin, resources.ModelResource):
    """The exam-result file of the contract, stored on the exam session the chosen call counts."""

    import_service = staticmethod(exam_results_import)

    student_number = fields.Field(attribute="applicant__student_number", column_name="student_number")

    class Meta:
        model = ExamResult
        fields = EXAM_RESULT_COLUMNS
        export_order = EXAM_RESULT_COLUMNS
        import_id_fields = ("student_number",)

    def get_queryset(self):
        return super().get_queryset().select_related("applicant")
