"""Placements and letters are changed only by the services (audited); the admin shows them."""
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from letters.models import Letter, OrientationMeeting, Placement
from letters.services.top_up import placement_top_up_set
from mobility.admin_base import ReadOnlyAdmin


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

    def has_change_permission(self, request, obj=None):
        # Actions need it; the form stays read-only (every field is).
        return request.user.has_perm("letters.change_placement")

    def get_readonly_fields(self, request, obj=None):
        # Everything else changes only through the services; the days left come from outside the portal.
        return [f.name for f in self.model._meta.fields if f.name != "erasmus_days_left"]

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
    list_display = ["placement", "host_name", "country", "start_date", "end_date", "decision", "grant_eur", "submitted_at"]
    list_filter = ["decision", "placement__call"]
    search_fields = ["placement__student_number", "host_name"]
    list_select_related = ["placement__call"]
