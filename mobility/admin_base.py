from django.contrib import admin
from django.db import models

from mobility.numbers import DecimalCommaField


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the portal writes through its services (audit, runs, placements): shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecimalCommaAdmin:
    """Number fields that read "3,20" and "6.750,00" as well as "3.20" (mixed into model admins and inlines)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):


        if isinstance(db_field, models.DecimalField) and "widget" not in kwargs:
            kwargs["form_class"] = DecimalCommaField
        return super().formfield_for_dbfield(db_field, request, **kwargs)
