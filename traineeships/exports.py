"""The contract's exports that need the traineeship: `export_placements` with the certificate's
columns (placement-files §13) and `export_mobilities` as CSV (§14; the XML is in `bm.py`)."""
from letters.exports import COLUMNS as PLACEMENT_COLUMNS
from letters.exports import placement_row
from letters.models import Placement
from mobility.spreadsheets import csv_writer, spreadsheet_text

CERTIFICATE_COLUMNS = ["actual_days", "final_grant_eur"]


def certificate_cells(placement: Placement) -> list[str]:
    certificate = getattr(placement, "certificate", None)
    if certificate is None:
        return ["", ""]
    return [str(certificate.actual_days), f"{certificate.final_grant_eur:.2f}"]


def placements_csv(*, call, stream) -> None:
    writer = csv_writer(stream)
    writer.writerow([*PLACEMENT_COLUMNS, *CERTIFICATE_COLUMNS])
    for placement in Placement.objects.filter(call=call).select_related("letter", "certificate").order_by("order"):
        writer.writerow([*placement_row(placement), *certificate_cells(placement)])


MOBILITY_COLUMNS = [
    "mobility_id", "activity_type", "project_number", "participant_esi", "student_number", "first_name", "last_name",
    "email", "eqf_level", "isced", "recent_graduate", "sending_erasmus_code", "sending_pic", "host_name", "host_city",
    "host_country", "host_type", "start_date", "end_date", "duration_days", "funded_days", "monthly_rate_eur",
    "grant_eur", "fewer_opportunities", "status",
]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def mobility_row(r) -> list[str]:
    text = spreadsheet_text
    return [
        r.mobility_id, r.activity_type, r.project_number, r.esi, r.student_number, text(r.first_name), text(r.last_name),
        text(r.email), str(r.eqf_level), r.isced, _yes(r.recent_graduate), r.sending_erasmus_code, r.sending_pic,
        text(r.host_name), text(r.host_city), r.host_country, r.host_type, r.start_date.isoformat(), r.end_date.isoformat(),
        str(r.duration_days), str(r.funded_days), f"{r.monthly_rate:.2f}", f"{r.grant:.2f}", _yes(r.fewer_opportunities),
        r.status,
    ]


def mobilities_csv(*, reports, stream) -> None:
    writer = csv_writer(stream)
    writer.writerow(MOBILITY_COLUMNS)
    for report in reports:
        writer.writerow(mobility_row(report))
