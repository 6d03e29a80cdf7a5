import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0008_student_number_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="examresult",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="updated at"),
            preserve_default=False,
        ),
    ]
