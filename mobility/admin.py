from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from mobility.admin_base import DecimalCommaAdmin, ReadOnlyAdmin
from mobility.admin_forms import CallAdminForm, CountryGroupForm
from mobility.audit_words import money
from mobility.grants import default_country_groups
from mobility.isced import isced_choices
from mobility.models import (
    AuditEntry,
    Call,
    CallDepartment,
    CallStatus,
    CountryGroup,
    Department,
    OutboxMessage,
    PortalSettings,
    Role,
    User,
)
from mobility.services.calls import FINAL, LOCKED_AFTER_FINAL, CallTransitionError, call_edit_save, call_transition


def _final(obj) -> bool:
    return obj is not None and obj.status in FINAL


class _LockedAfterFinal:
    """Inline rows of a call are read-only once its final list is published."""

    def has_add_permission(self, request, obj=None):
        return not _final(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _final(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _final(obj) and super().has_delete_permission(request, obj)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "student_number", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name", "student_number"]
    filter_horizontal = ["groups", "user_permissions", "departments"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "student_number", "language")}),
        (_("Role"), {"fields": ("groups", "departments", "is_active", "is_staff", "is_superuser", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "groups")}),)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            # Role groups are named by their codes; people read the role in their language.
            field.label_from_instance = lambda group: str(Role(group.name).label) if group.name in Role.values else group.name
        return field


class CallDepartmentInline(DecimalCommaAdmin, _LockedAfterFinal, admin.TabularInline):
    model = CallDepartment
    extra = 0
    autocomplete_fields = ["department"]

    def has_change_permission(self, request, obj=None):
        # The ISCED-F field is reporting data, not a selection input: it stays editable after the final list.
        return admin.TabularInline.has_change_permission(self, request, obj)

    def get_readonly_fields(self, request, obj=None):
        if _final(obj):
            return ["department", "written_min", "gpa_average"]
        return super().get_readonly_fields(request, obj)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "isced":
            # Chosen from the ISCED-F 2013 list in the reader's language, never typed free.
            return forms.TypedChoiceField(
                label=db_field.verbose_name, required=False, help_text=db_field.help_text,
                choices=[("", "---------"), *isced_choices()],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CountryGroupInline(DecimalCommaAdmin, admin.TabularInline):
    model = CountryGroup
    form = CountryGroupForm
    extra = 0
    # On a new call the programme's default grant table is shown (and used while no row is saved).
    verbose_name_plural = _("country groups and monthly grant rates (left as shown, the programme's defaults apply)")

    def get_extra(self, request, obj=None, **kwargs):
        return len(_default_groups()) if obj is None else 0


def _default_groups() -> list[dict]:
    programme = Call._meta.get_field("programme").get_default() or ""
    return [
        {"group": g["group"], "monthly_rate_eur": g["monthly_rate_eur"], "countries": " ".join(g["countries"])}
        for g in default_country_groups(programme)
    ]


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
class CallAdmin(DecimalCommaAdmin, admin.ModelAdmin):
    form = CallAdminForm
    list_display = ["code", "title", "programme", "status", "applications_open", "applications_close", "budget"]
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
        (_("The call"), {
            "fields": ("code", "title", "programme", "project_number", "consortium", "status"),
            "description": _("A new call is a draft: students see it only after it is announced from the call's office page."),
        }),
        (_("Dates (Turkish time)"), {
            "description": _("Dates as DD.MM.YYYY (e.g. 01.12.2026), times as HH:MM, Turkish time."),
            "fields": (
            "applications_open", "applications_close", "letter_deadline", "appeal_deadline",
            "appeal_answer_by", "exam_session", "mobility_start", "mobility_end", "reserve_list_end",
            "accept_deadline_effects",
        )}),
        (_("Duration and budget"), {
            "description": _("The budget divided by the planning amount gives the number of primary places."),
            "fields": (
            "funded_months", "min_days", "budget_eur", "planning_amount_eur", "fewer_opportunities_top_up_eur",
        )}),
        (_("Eligibility and scoring"), {"fields": (
            "min_gpa_associate", "min_gpa_bachelor", "min_gpa_master", "min_gpa_doctorate", "academic_formula",
            "academic_weight", "language_weight", "written_weight", "listening_weight", "allocation",
            "promotion_order",
        )}),
        (_("Deductions and bonuses (points)"), {"fields": (
            "points_prior_participation", "points_same_year_study_primary", "points_late_withdrawal",
            "points_non_prioritised_choice", "points_missed_orientation", "points_missed_exam",
            "points_disability", "points_martyr_veteran_relative", "points_protection_2828",
        )}),
        (_("Reporting to the EU Beneficiary Module"), {"fields": (
            "institution_name", "institution_erasmus_code", "institution_schac", "institution_pic",
            "eqf_associate", "eqf_bachelor", "eqf_master", "eqf_doctorate",
        )}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("budget (EUR)"), ordering="budget_eur")
    def budget(self, obj):
        return money(obj.budget_eur)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CountryGroupInline) and obj.pk is None and request.method == "GET":
            kwargs["initial"] = _default_groups()
        return kwargs

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _final(obj):
            fields += LOCKED_AFTER_FINAL
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if _final(obj) and request.method == "GET":
            self.message_user(request, _(
                "The final list of this call is published: its rules, budget and departments are locked. "
                "The budget can only change through the placements' budget change."
            ), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # The service enforces the lock after the final list; the read-only fields above only show it.
        call_edit_save(call=obj, actor=request.user, effects=getattr(form, "deadline_effects", []), changed={
            name: (form.initial.get(name), form.cleaned_data.get(name))
            for name in form.changed_data if name != "accept_deadline_effects"
        })


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action"]
    list_select_related = ["actor"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """What the portal owes and sent by e-mail; a mail that keeps failing shows its last error here."""

    list_display = ["created_at", "recipient", "subject", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "language"]
    search_fields = ["recipient", "subject", "key"]
    date_hierarchy = "created_at"


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not PortalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
