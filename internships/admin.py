"""Administration: host units and their members; the rest is set by the programme file and the pages."""
from django.contrib import admin

from internships.models import HostUnit, InternshipProgramme


@admin.register(InternshipProgramme)
class InternshipProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "applications_open", "applications_close")
    search_fields = ("code", "title")

    def has_change_permission(self, request, obj=None):
        return False  # the programme file is the source (`load_internship_programme`)

    def has_add_permission(self, request):
        return False


@admin.register(HostUnit)
class HostUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "programme", "email", "language")
    list_filter = ("programme",)
    search_fields = ("name", "code")
    filter_horizontal = ("members",)
    fields = ("programme", "code", "name", "email", "language", "members")
