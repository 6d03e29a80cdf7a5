from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["call", "application", "status", "filed_at", "answered_at"]
    list_filter = ["call", "status"]
    list_select_related = ["call", "application__applicant"]
    # Private files have no URL: the document is linked to the permission-checked download instead.
    exclude = ["document"]
    readonly_fields = [*(f.name for f in Appeal._meta.fields if f.name != "document"), "document_file"]

    @admin.display(description=_("document"))
    def document_file(self, obj):
        if not obj.document:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("office:appeal_document", args=[obj.call.code, obj.pk]), _("Download"))

    def has_add_permission(self, request):
        return False  # students file appeals; the office answers on the call's appeal page
