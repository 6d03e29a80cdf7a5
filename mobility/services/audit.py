from typing import Any

from django.db import models

from mobility.models import AuditEntry


def audit_record(*, actor, action: str, obj: models.Model, data: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )
