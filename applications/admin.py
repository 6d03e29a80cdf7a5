from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from applications.forms import CallConfirmImportForm, CallImportForm
from applications.history import application_prefill_from_history
from applications.models import Applicant, Application, ExamResult, ExamSession, OutcomeRecord
from applications.resources import ApplicationResource, ExamResultResource
from applications.tabular import PortalCSV, PortalXLSX


class CallImportAdmin(ImportExportModelAdmin):
    """Import of a contract file for the call chosen in the import form (CSV or XLSX)."""

    import_form_class = CallImportForm
    confirm_form_class = CallConfirmImportForm
    import_formats = [PortalCSV, PortalXLSX]

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["call"] = import_form.cleaned_data["call"].pk
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        cleaned = getattr(form, "cleaned_data", None) or {}
        if cleaned.get("call") is not None:
            kwargs["call"] = cleaned["call"]
        return kwargs

    def process_result(self, result, request):
        # The confirm step imports the stored file again; if it no longer passes (the data changed
        # in between), nothing was saved: say why and go back to the import page.
        if result.has_errors() or result.has_validation_errors():
            error = getattr(result, "import_error", None)
            for line in error.lines() if error else [str(e.error) for e in result.base_errors]:
                messages.error(request, line)
            messages.error(request, _("Nothing was imported."))
            return HttpResponseRedirect(reverse("admin:%s_%s_import" % self.get_model_info(), current_app=self.admin_site.name))
        return super().process_result(result, request)


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ["student_number", "first_name", "last_name", "email", "user"]
    search_fields = ["student_number", "first_name", "last_name", "email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(Application)
class ApplicationAdmin(CallImportAdmin):
    resource_classes = [ApplicationResource]
    list_display = ["student_number", "applicant_name", "call", "department", "level", "gpa", "status", "submitted_at"]
    list_filter = ["call", "department", "level", "status"]
    search_fields = ["applicant__student_number", "applicant__first_name", "applicant__last_name"]
    list_select_related = ["applicant", "call", "department"]
    autocomplete_fields = ["applicant"]
    readonly_fields = ["updated_at"]
    actions = ["prefill_from_history"]

    @admin.action(description=_("Pre-fill deductions from the records of earlier calls"))
    def prefill_from_history(self, request, queryset):
        for application in queryset.select_related("applicant", "call"):
            application_prefill_from_history(application=application)
        self.message_user(
            request, _("%(count)s application(s) checked against earlier calls.") % {"count": queryset.count()}
        )

    @admin.display(description=_("student number"), ordering="applicant__student_number")
    def student_number(self, obj):
        return obj.applicant.student_number

    @admin.display(description=_("name"), ordering="applicant__last_name")
    def applicant_name(self, obj):
        return f"{obj.applicant.first_name} {obj.applicant.last_name}"


@admin.register(ExamSession)
class ExamSessionAdmin(admin.ModelAdmin):
    list_display = ["name", "date"]
    search_fields = ["name"]


@admin.register(ExamResult)
class ExamResultAdmin(CallImportAdmin):
    resource_classes = [ExamResultResource]
    list_display = ["student_number", "session", "written", "listening", "absent"]
    list_filter = ["session", "absent"]
    search_fields = ["applicant__student_number", "applicant__last_name"]
    list_select_related = ["applicant", "session"]
    autocomplete_fields = ["applicant"]

    @admin.display(description=_("student number"), ordering="applicant__student_number")
    def student_number(self, obj):
        return obj.applicant.student_number


@admin.register(OutcomeRecord)
class OutcomeRecordAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "recorded_at", "note"]
    list_filter = ["kind", "application__call"]
    search_fields = ["application__applicant__student_number"]
    list_select_related = ["application__call", "application__applicant"]
    raw_id_fields = ["application"]
