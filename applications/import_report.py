"""What an import did, row by row: shared by the ORM path and the COPY path of the import services."""
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass(slots=True)  # 50,000 of them per large import
class ImportedRow:
    row: int
    student_number: str
    action: str  # "created", "updated" or "unchanged"
    instance: Any  # the model instance; None on the COPY path, whose callers need only the counts
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    columns: list[str] = field(default_factory=list)
    rows: list[ImportedRow] = field(default_factory=list)

    def add(self, imported: ImportedRow) -> None:
        setattr(self, imported.action, getattr(self, imported.action) + 1)
        self.rows.append(imported)

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
        }
