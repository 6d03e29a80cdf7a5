"""Placements and letters are changed only by the services (audited); the admin shows them."""
from django.contrib import admin

from letters.models import Letter, OrientationMeeting, Placement


@admin.register(OrientationMeeting)
class OrientationMeetingAdmin(admin.ModelAdmin):
    list_display = ["call", "starts_at", "location"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["student_number", "call", "department_code", "order", "status", "promoted", "promotion_seq", "held_eur", "penalty"]
    list_filter = ["call", "status", "promoted", "penalty"]
    search_fields = ["student_number"]
    list_select_related = ["call"]


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ["placement", "host_name", "country", "start_date", "end_date", "decision", "grant_eur", "submitted_at"]
    list_filter = ["decision", "placement__call"]
    search_fields = ["placement__student_number", "host_name"]
    list_select_related = ["placement__call"]
