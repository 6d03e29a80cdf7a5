from django.contrib import admin

from mobility.admin_base import ReadOnlyAdmin
from traineeships.models import Certificate, DepartmentApprover, LearningAgreement


@admin.register(DepartmentApprover)
class DepartmentApproverAdmin(admin.ModelAdmin):
    """Admins assign who approves Learning Agreements, per department and role (document 000)."""

    list_display = ["user", "department", "role"]
    list_filter = ["role", "department"]
    autocomplete_fields = ["user", "department"]
    search_fields = ["user__email", "user__last_name", "department__code"]


@admin.register(LearningAgreement)
class LearningAgreementAdmin(ReadOnlyAdmin):
    list_display = ["placement", "version", "state", "submitted_at", "approved_at"]
    list_filter = ["state"]
    search_fields = ["placement__student_number", "host_name"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["placement", "start_date", "end_date", "actual_days", "planned_grant_eur", "final_grant_eur", "force_majeure"]
    search_fields = ["placement__student_number"]
