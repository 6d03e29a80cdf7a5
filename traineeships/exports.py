"""The contract's exports that need the traineeship: `export_placements` with the certificate's
columns (placement-files §13) and `export_mobilities` as CSV (§14; the XML is in `bm.py`)."""
import csv

from letters.exports import COLUMNS as PLACEMENT_COLUMNS
from letters.exports import placement_row
from letters.models import Placement

CERTIFICATE_COLUMNS = ["actual_days", "final_grant_eur"]


def certificate_cells(placement: Placement) -> list[str]:
    certificate = getattr(placement, "certificate", None)
    if certificate is None:
        return ["", ""]
    return [str(certificate.actual_days), f"{certificate.final_grant_eur:.2f}"]


def placements_csv(*, call, stream) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([*PLACEMENT_COLUMNS, *CERTIFICATE_COLUMNS])
    for placement in Placement.objects.filter(call=call).select_related("letter", "certificate").order_by("order"):
        writer.writerow([*placement_row(placement), *certificate_cells(placement)])
