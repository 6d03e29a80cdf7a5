"""PostgreSQL stores a run's inputs snapshot as it is, without trying to compress it.

The snapshot is already zlib-compressed text (selection.adapters.inputs_snapshot_build), so
PostgreSQL's own compression of the 1.2 MB value (50,000 applications) never succeeds: it runs
over the whole value, gives up and stores it uncompressed, about 30 ms of the run's last UPDATE.
STORAGE EXTERNAL keeps the value out of line as before, just without that attempt. It applies to
values written from now on; stored runs are left as they are. Other databases have no such setting.
"""
from django.db import migrations

TABLE, COLUMN = "selection_selectionrun", "inputs_snapshot"


def storage(kind):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            quote = schema_editor.quote_name
            schema_editor.execute(f"ALTER TABLE {quote(TABLE)} ALTER COLUMN {quote(COLUMN)} SET STORAGE {kind}")
    return apply


class Migration(migrations.Migration):
    dependencies = [("selection", "0006_english_outcome_labels")]

    operations = [migrations.RunPython(storage("EXTERNAL"), storage("EXTENDED"))]
