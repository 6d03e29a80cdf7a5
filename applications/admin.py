from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from applications.columns import column_label, labelled
from applications.forms import CallConfirmImportForm, CallImportForm
from applications.history import application_prefill_from_history
from applications.imports import (
    import_job_confirm,
    import_job_create,
    import_job_enqueue,
    import_job_file_remove,
    import_job_read,
    import_job_transition,
    import_limit,
)
from applications.models import (
    AUDITED_FIELDS,
    Applicant,
    Application,
    ApplicationStatus,
    ExamResult,
    ExamSession,
    ImportJob,
    ImportJobStatus,
    ImportKind,
    OutcomeRecord,
)
from applications.resources import ApplicationResource, ExamResultResource
from applications.services import APPLICANT_COLUMNS, EXAM_COLUMNS
from applications.student.applying import ApplicationError, application_transition
from applications.tabular import Column, PortalCSV, PortalXLSX, TableReadError, TableReadValueError, table_to_dataset
from mobility.admin_base import DecimalCommaAdmin
from mobility.services.audit import audit_changes, field_values


class CallImportAdmin(ImportExportModelAdmin):
    """Import of a contract file for the call chosen in the import form (CSV or XLSX).

    The preview stores the file on the server as an ImportJob; the confirm step sends back only
    the job's token. Files above IMPORT_BACKGROUND_BYTES are checked and imported by the worker,
    with a progress page.
    """

    import_form_class = CallImportForm
    confirm_form_class = CallConfirmImportForm
    import_formats = [PortalCSV, PortalXLSX]
    import_kind: str = ""
    import_columns: tuple[Column, ...] = ()

    def get_import_context_data(self, **kwargs):
        # The contract's headers (the format) with what each means in the reader's language.
        columns = [(column.name, column_label(column.name), column.required) for column in self.import_columns]
        return {**super().get_import_context_data(**kwargs), "contract_columns": columns}

    def get_urls(self):
        info = self.get_model_info()
        return [
            path("import/job/<str:token>/", self.admin_site.admin_view(self.import_job_view),
                 name="%s_%s_import_job" % info),
        ] + super().get_urls()

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, TableReadValueError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            upload = request.FILES.get("import_file")
            if upload is not None and upload.size > import_limit("IMPORT_BACKGROUND_BYTES"):
                form = self.create_import_form(request)
                if form.is_valid():
                    return self._start_background_check(request, form)
        response = super().import_action(request, **kwargs)
        self._remove_tmp_file(request)
        return response

    def _remove_tmp_file(self, request) -> None:
        # import-export keeps its own copy for its confirm step; ours is the ImportJob's file.
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name:
            self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()

    def _start_background_check(self, request, form):
        upload = form.cleaned_data["import_file"]
        upload.seek(0)
        with transaction.atomic():
            job = import_job_create(
                call=form.cleaned_data["call"], kind=self.import_kind, data=upload.read(), original_name=upload.name,
                status=ImportJobStatus.CHECKING, actor=request.user,
            )
            import_job_enqueue(job=job, language=translation.get_language())
        return HttpResponseRedirect(self._job_url(job))

    def _job_url(self, job) -> str:
        return reverse("admin:%s_%s_import_job" % self.get_model_info(), args=[job.token], current_app=self.admin_site.name)

    def _job(self, request, token: str, *statuses) -> ImportJob:
        jobs = ImportJob.objects.select_related("call").filter(token=token, kind=self.import_kind, created_by=request.user)
        if statuses:
            jobs = jobs.filter(status__in=statuses)
        job = jobs.first()
        if job is None:
            raise Http404
        return job

    def get_confirm_form_initial(self, request, import_form):
        if import_form is None:
            return {}
        upload = import_form.cleaned_data["import_file"]
        upload.seek(0)
        job = import_job_create(
            call=import_form.cleaned_data["call"], kind=self.import_kind, data=upload.read(), original_name=upload.name,
            status=ImportJobStatus.CHECKED, actor=request.user,
        )
        return {"token": job.token}

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        cleaned = getattr(form, "cleaned_data", None) or {}
        if cleaned.get("call") is not None:
            kwargs["call"] = cleaned["call"]
        return kwargs

    def process_import(self, request, **kwargs):
        """Import the checked file of the token, into its call: nothing else from the browser counts."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = self._job(request, request.POST.get("token", ""), ImportJobStatus.CHECKED)
        try:
            header, rows = import_job_read(job=job)
        except TableReadError as exc:
            import_job_file_remove(job=job)
            messages.error(request, str(exc))
            return HttpResponseRedirect(self._import_url())
        import_job_transition(job=job, to=ImportJobStatus.IMPORTING, actor=request.user)
        resource = self.get_import_resource_classes(request)[0](**self.get_import_resource_kwargs(request))
        result = resource.import_data(
            table_to_dataset(header, rows), dry_run=False, raise_errors=False, call=job.call, user=request.user,
            file_name=job.original_name, retain_instance_in_row_result=True,
        )
        import_job_file_remove(job=job)
        failed = result.has_errors() or result.has_validation_errors()
        import_job_transition(job=job, to=ImportJobStatus.INVALID if failed else ImportJobStatus.DONE, actor=request.user,
                              rows_done=len(rows), rows_total=len(rows))
        return self.process_result(result, request)

    def import_job_view(self, request, token: str):
        """The progress of a background check or import; its confirm button."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = self._job(request, token)
        if request.method == "POST":
            if job.status != ImportJobStatus.CHECKED:
                messages.error(request, _("This file was already imported, or it cannot be imported."))
            else:
                import_job_confirm(job=job, actor=request.user, language=translation.get_language())
            return HttpResponseRedirect(self._job_url(job))
        running = job.status in (ImportJobStatus.CHECKING, ImportJobStatus.IMPORTING)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "job": job,
            "running": running,
            "import_url": self._import_url(),
            "changelist_url": reverse("admin:%s_%s_changelist" % self.get_model_info(), current_app=self.admin_site.name),
        }
        return TemplateResponse(request, "admin/applications/import_job.html", context)

    def _import_url(self) -> str:
        return reverse("admin:%s_%s_import" % self.get_model_info(), current_app=self.admin_site.name)

    def process_result(self, result, request):
        # The confirm step imports the stored file again; if it no longer passes (the data changed
        # in between), nothing was saved: say why and go back to the import page.
        if result.has_errors() or result.has_validation_errors():
            error = getattr(result, "import_error", None)
            for line in error.lines(column=labelled) if error else [str(e.error) for e in result.base_errors]:
                messages.error(request, line)
            messages.error(request, _("Nothing was imported."))
            return HttpResponseRedirect(self._import_url())
        return super().process_result(result, request)


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ["student_number", "first_name", "last_name", "email", "user"]
    search_fields = ["student_number", "first_name", "last_name", "email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(Application)
class ApplicationAdmin(DecimalCommaAdmin, CallImportAdmin):
    resource_classes = [ApplicationResource]
    import_kind = ImportKind.APPLICATIONS
    import_columns = APPLICANT_COLUMNS
    list_display = ["student_number", "applicant_name", "call", "department", "level", "gpa", "status", "submitted_at"]
    list_filter = ["call", "department", "level", "status"]
    search_fields = ["applicant__student_number", "applicant__first_name", "applicant__last_name"]
    list_select_related = ["applicant", "call", "department"]
    autocomplete_fields = ["applicant"]
    # Status changes only through the transition function (the actions below), never by editing the field.
    readonly_fields = ["status", "submitted_at", "updated_at"]
    actions = ["prefill_from_history", "mark_submitted", "mark_withdrawn", "mark_draft"]

    def _transition(self, request, queryset, to):
        done = 0
        for application in queryset:
            try:
                application_transition(application=application, to=to, actor=request.user, at=timezone.now(), by_office=True)
            except ApplicationError as exc:
                self.message_user(request, f"{application.applicant.student_number}: {exc}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(count)s application(s) changed.") % {"count": done})

    @admin.action(description=_("Submit (as the office)"), permissions=["change"])
    def mark_submitted(self, request, queryset):
        self._transition(request, queryset.select_related("applicant"), ApplicationStatus.SUBMITTED)

    @admin.action(description=_("Withdraw (as the office)"), permissions=["change"])
    def mark_withdrawn(self, request, queryset):
        self._transition(request, queryset.select_related("applicant"), ApplicationStatus.WITHDRAWN)

    @admin.action(description=_("Back to draft (as the office)"), permissions=["change"])
    def mark_draft(self, request, queryset):
        self._transition(request, queryset.select_related("applicant"), ApplicationStatus.DRAFT)

    def save_model(self, request, obj, form, change):
        # The audit trail keeps before -> after of what the selection reads (the admin log says only which fields).
        before = field_values(Application.objects.get(pk=obj.pk), AUDITED_FIELDS) if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            audit_changes(actor=request.user, action="application.edited", obj=obj, before=before)

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
class ExamResultAdmin(DecimalCommaAdmin, CallImportAdmin):
    resource_classes = [ExamResultResource]
    import_kind = ImportKind.EXAM_RESULTS
    import_columns = EXAM_COLUMNS
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


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Imports for the record: who uploaded which file into which call, and how it ended."""

    list_display = ["created_at", "call", "kind", "original_name", "status", "created_by"]
    list_filter = ["kind", "status", "call"]
    list_select_related = ["call", "created_by"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
