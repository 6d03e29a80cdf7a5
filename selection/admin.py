import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mobility.admin_base import ReadOnlyAdmin
from selection.models import SelectionRun
from selection.selectors import SNAPSHOTS


@admin.register(SelectionRun)
class SelectionRunAdmin(ReadOnlyAdmin):
    """Read-only: runs change only through the selection services (start, sweep, cancel)."""

    list_display = ["id", "call", "status", "failure", "started_by", "created_at", "started_at", "finished_at",
                    "duration_ms", "primaries", "reserves", "excluded"]
    list_filter = ["status", "failure", "call"]
    list_select_related = ["call", "started_by"]
    search_fields = ["call__code"]
    date_hierarchy = "created_at"
    fields = ["call", "status", "failure", "error", "started_by", "created_at", "started_at", "finished_at",
              "duration_ms", "places", "primaries", "reserves", "excluded", "rules", "inputs_count"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The inputs snapshot is megabytes for a large call; the detail page shows only its size.
        return super().get_queryset(request).defer(*SNAPSHOTS)

    @admin.display(description=_("rules used"))
    def rules(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.rules_snapshot, indent=2, ensure_ascii=False))

    @admin.display(description=_("inputs used"))
    def inputs_count(self, obj):
        snapshot = SelectionRun.objects.filter(pk=obj.pk).values_list("inputs_snapshot", flat=True).first()
        if isinstance(snapshot, dict) and "count" in snapshot:
            count = snapshot["count"]
        else:
            count = len(snapshot.get("rows", []) if isinstance(snapshot, dict) else (snapshot or []))
        return _("%(n)s applications") % {"n": count}
