"""Uploaded files move from the public media root to private storage under random names."""
import letters.models
import mobility.uploads.storage
from django.db import migrations, models


def move_files(apps, schema_editor):
    from mobility.uploads.migration import move_to_private

    move_to_private(apps, "letters", "Letter", "pdf", "letters")
    move_to_private(apps, "letters", "Placement", "force_majeure_document", "force-majeure")


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0002_placement_completed'),
    ]

    operations = [
        migrations.RunPython(move_files, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='letter',
            name='pdf',
            field=models.FileField(blank=True, max_length=200, storage=mobility.uploads.storage.private_storage, upload_to=letters.models.letter_upload_to, verbose_name='letter (PDF)'),
        ),
        migrations.AlterField(
            model_name='placement',
            name='force_majeure_document',
            field=models.FileField(blank=True, max_length=200, storage=mobility.uploads.storage.private_storage, upload_to='force-majeure/', verbose_name='force majeure document'),
        ),
    ]
