# The placement status `completed` (placement-files §13).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('letters', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='placement',
            name='status',
            field=models.CharField(choices=[('primary', 'Primary (asil)'), ('reserve', 'Reserve (yedek), waiting'), ('withdrawn', 'Withdrawn'), ('lost_place', 'Lost the place'), ('reserve_expired', 'Reserve status ended'), ('completed', 'Traineeship completed (certificate received)')], max_length=16, verbose_name='status'),
        ),
    ]
