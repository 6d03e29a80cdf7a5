from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the portal writes through its services (audit, runs, placements): shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
