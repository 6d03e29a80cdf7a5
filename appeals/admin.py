from django.contrib import admin

from appeals.models import Appeal


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["call", "application", "status", "filed_at", "answered_at"]
    list_filter = ["call", "status"]
    list_select_related = ["call", "application__applicant"]
    readonly_fields = [f.name for f in Appeal._meta.fields]

    def has_add_permission(self, request):
        return False  # students file appeals; the office answers on the call's appeal page
