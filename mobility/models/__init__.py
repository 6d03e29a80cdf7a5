from .audit import AuditEntry
from .calls import (
    ADJUSTMENT_CODES,
    AcademicFormula,
    AllocationStrategy,
    Call,
    CallDepartment,
    CallStatus,
    CountryGroup,
    DeadlineEvent,
    Department,
    Programme,
    PromotionOrder,
)
from .outbox import OutboxMessage
from .portal import PortalSettings
from .users import Role, User

__all__ = [
    "ADJUSTMENT_CODES",
    "AcademicFormula",
    "AllocationStrategy",
    "AuditEntry",
    "Call",
    "CallDepartment",
    "CallStatus",
    "CountryGroup",
    "DeadlineEvent",
    "Department",
    "OutboxMessage",
    "PortalSettings",
    "Programme",
    "PromotionOrder",
    "Role",
    "User",
]
