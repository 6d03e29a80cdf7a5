"""Student list (contract §3): import or update by student number, all or nothing."""
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from internships.models import InternshipProgramme, InternshipStudent, Level
from internships.services import InternshipError, problem
from mobility.services.audit import audit_record

COLUMNS = ("student_number", "first_name", "last_name", "email", "department_code", "level", "year", "gpa")


def _row(index: int, row: dict, departments: dict, lines: list[str]) -> dict | None:
    where = f"row {index}"
    number = (row.get("student_number") or "").strip()
    bad = []
    for column in ("student_number", "first_name", "last_name", "email", "department_code", "level", "year"):
        if not (row.get(column) or "").strip():
            bad.append(problem("missing_value", f"{where}: {column}"))
    if bad:
        lines.extend(bad)
        return None
    where = f"{where} {number}"
    email = row["email"].strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        lines.append(problem("bad_email", f"{where}: “{row['email'].strip()}”"))
    department = departments.get(row["department_code"].strip())
    if department is None:
        lines.append(problem("unknown_department", f"{where}: “{row['department_code'].strip()}”"))
    level = row["level"].strip()
    if level not in Level.values:
        lines.append(problem("bad_level", f"{where}: “{level}”"))
    try:
        year = int(row["year"].strip())
        if not 1 <= year <= 6:
            raise ValueError
    except ValueError:
        lines.append(problem("bad_year", f"{where}: “{row['year'].strip()}”"))
        year = None
    gpa_text = (row.get("gpa") or "").strip().replace(",", ".")
    gpa = None
    if gpa_text:
        try:
            gpa = Decimal(gpa_text)
            if not gpa.is_finite() or not Decimal("0") <= gpa <= Decimal("4") or gpa != gpa.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            lines.append(problem("bad_gpa", f"{where}: “{gpa_text}”"))
    return {"student_number": number, "first_name": row["first_name"].strip(), "last_name": row["last_name"].strip(),
            "email": email, "department": department, "level": level, "year": year, "gpa": gpa}


@transaction.atomic
def students_import(*, programme: InternshipProgramme, header: list[str], rows: list[dict], at: dt.datetime,
                    actor=None) -> dict[str, int]:
    """Create or update every row; any bad row changes nothing."""
    lines: list[str] = []
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        lines.append(problem("missing_column", ", ".join(missing)))
    if unknown:
        lines.append(problem("unknown_column", ", ".join(unknown)))
    if lines:
        raise InternshipError(lines)
    departments = {d.department.code: d for d in programme.departments.select_related("department")}
    parsed, seen = [], {}
    for index, row in enumerate(rows, start=2):  # row 1 is the header
        values = _row(index, row, departments, lines)
        if values is None:
            continue
        if values["student_number"] in seen:
            lines.append(problem("duplicate_student", f"row {index} {values['student_number']}: also row {seen[values['student_number']]}"))
        seen[values["student_number"]] = index
        parsed.append(values)
    if lines:
        raise InternshipError(lines)
    existing = {s.student_number: s for s in programme.students.select_for_update().filter(student_number__in=seen)}
    created = updated = 0
    new, changed = [], []
    for values in parsed:
        student = existing.get(values["student_number"])
        if student is None:
            new.append(InternshipStudent(programme=programme, **values))
            created += 1
        else:
            for key, value in values.items():
                setattr(student, key, value)
            changed.append(student)
            updated += 1
    InternshipStudent.objects.bulk_create(new, batch_size=1000)
    InternshipStudent.objects.bulk_update(
        changed, ["first_name", "last_name", "email", "department", "level", "year", "gpa"], batch_size=1000,
    )
    audit_record(actor=actor, action="internships.students_imported", obj=programme,
                 data={"created": created, "updated": updated, "at": at.isoformat()})
    return {"created": created, "updated": updated}
