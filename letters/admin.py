"""Placements and letters are changed only by the services (audited); the admin shows them."""
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from letters.models import Letter, OrientationMeeting, Placement
from letters.services.top_up import placement_top_up_set
from mobility.admin_base import ReadOnlyAdmin
from mobility.audit_words import money
from mobility.iso3166 import country_name


@admin.register(OrientationMeeting)
class OrientationMeetingAdmin(admin.ModelAdmin):
    list_display = ["call", "starts_at", "location"]



@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["student_number", "call", "department_code", "order", "status", "promoted", "promotion_seq", "held_eur", "penalty"]
    list_filter = ["call", "status", "promoted", "penalty"]
    search_fields = ["student_number"]
    list_select_related = ["call"]
    actions = ["top_up_on", "top_up_off"]
    # Private files have no URL: shown as a link to the permission-checked download instead.
    exclude = ["force_majeure_document"]

    def has_change_permission(self, request, obj=None):
        # Actions need it; the form stays read-only (every field is).
        return request.user.has_perm("letters.change_placement")

    def get_readonly_fields(self, request, obj=None):
        # Everything else changes only through the services; the days left come from outside the portal.
        names = [f.name for f in self.model._meta.fields if f.name not in ("erasmus_days_left", "force_majeure_document")]
        return [*names, "force_majeure_file"]

    @admin.display(description=_("force majeure document"))
    def force_majeure_file(self, obj):
        if not obj.force_majeure_document:
            return "—"
        url = reverse("letters:force_majeure_document", args=[obj.call.code, obj.student_number])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    @admin.action(description=_("Give the fewer-opportunities top-up"), permissions=["change"])
    def top_up_on(self, request, queryset):
        for placement in queryset:
            placement_top_up_set(placement=placement, value=True, at=timezone.now(), actor=request.user)

    @admin.action(description=_("Remove the fewer-opportunities top-up"), permissions=["change"])
    def top_up_off(self, request, queryset):
        for placement in queryset:
            placement_top_up_set(placement=placement, value=False, at=timezone.now(), actor=request.user)


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    # The country by name and the grant as money, as on the office's pages (the list is read by people).
    list_display = ["placement", "host_name", "country_in_words", "start_date", "end_date", "decision", "grant", "submitted_at"]
    list_filter = ["decision", "placement__call"]
    search_fields = ["placement__student_number", "host_name"]
    list_select_related = ["placement__call"]
    exclude = ["pdf"]  # private: no URL; linked to the permission-checked download instead
    readonly_fields = ["pdf_file"]

    @admin.display(description=_("country"), ordering="country")
    def country_in_words(self, obj):
        return country_name(obj.country)

    @admin.display(description=_("grant"), ordering="grant_eur")
    def grant(self, obj):
        return money(obj.grant_eur)

    @admin.display(description=_("letter (PDF)"))
    def pdf_file(self, obj):
        if not obj.pdf:
            return "—"
        url = reverse("letters:office_pdf", args=[obj.placement.call.code, obj.placement.student_number])
        return format_html('<a href="{}">{}</a>', url, _("Download"))
