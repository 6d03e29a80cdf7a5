"""Uploaded files move from the public media root to private storage under random names."""
import mobility.uploads.storage
from django.db import migrations, models


def move_files(apps, schema_editor):
    from mobility.uploads.migration import move_to_private

    move_to_private(apps, "appeals", "Appeal", "document", "appeals")


class Migration(migrations.Migration):

    dependencies = [
        ('appeals', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(move_files, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='appeal',
            name='document',
            field=models.FileField(blank=True, max_length=200, storage=mobility.uploads.storage.private_storage, upload_to='appeals/', verbose_name='document'),
        ),
    ]
