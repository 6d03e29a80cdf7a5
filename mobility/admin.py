from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from mobility.models import AuditEntry, Call, CallDepartment, CallStatus, CountryGroup, Department, PortalSettings, User
from mobility.services.calls import CallTransitionError, call_transition


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "student_number", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name", "student_number"]
    filter_horizontal = ["groups", "user_permissions", "departments"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "student_number")}),
        (_("Role"), {"fields": ("groups", "departments", "is_active", "is_staff", "is_superuser", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "groups")}),)


class CallDepartmentInline(admin.TabularInline):
    model = CallDepartment
    extra = 0
    autocomplete_fields = ["department"]


class CountryGroupInline(admin.TabularInline):
    model = CountryGroup
    extra = 0


def _transition_action(target: CallStatus, label):
    def action(modeladmin, request, queryset):
        for call in queryset:
            try:
                call_transition(call=call, to=target, actor=request.user)
            except CallTransitionError as exc:
                modeladmin.message_user(request, f"{call.code}: {exc}", messages.ERROR)
    action.__name__ = f"make_{target}"
    action.short_description = label
    return action


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "programme", "status", "applications_open", "applications_close", "letter_deadline"]
    list_filter = ["programme", "status"]
    search_fields = ["code", "title", "project_number"]
    inlines = [CallDepartmentInline, CountryGroupInline]
    readonly_fields = ["status", "created_at", "updated_at"]
    actions = [
        _transition_action(CallStatus.ANNOUNCED, _("Announce to students")),
        _transition_action(CallStatus.DRAFT, _("Back to draft")),
        _transition_action(CallStatus.APPLICATIONS_CLOSED, _("Close applications")),
        _transition_action(CallStatus.ARCHIVED, _("Archive")),
    ]
    fieldsets = (
        (None, {"fields": ("code", "title", "programme", "project_number", "consortium", "status")}),
        (_("Dates (Turkish time)"), {"fields": (
            "applications_open", "applications_close", "letter_deadline", "appeal_deadline",
            "appeal_answer_by", "exam_session", "mobility_start", "mobility_end", "reserve_list_end",
        )}),
        (_("Duration and budget"), {"fields": (
            "funded_months", "min_days", "budget_eur", "planning_amount_eur", "fewer_opportunities_top_up_eur",
        )}),
        (_("Eligibility and scoring"), {"fields": (
            "min_gpa_bachelor", "min_gpa_master", "min_gpa_doctorate", "academic_formula",
            "academic_weight", "language_weight", "written_weight", "listening_weight", "allocation",
            "promotion_order",
        )}),
        (_("Deductions and bonuses (points)"), {"fields": (
            "points_prior_participation", "points_same_year_study_primary", "points_late_withdrawal",
            "points_non_prioritised_choice", "points_missed_orientation", "points_missed_exam",
            "points_disability", "points_martyr_veteran_relative", "points_protection_2828",
        )}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not PortalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
