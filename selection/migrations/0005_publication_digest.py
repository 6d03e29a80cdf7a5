"""Each publication gets the SHA-256 digest of its canonical CSV, chained to the previous one (selection.digests)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('selection', '0004_merge'),
    ]

    operations = [
        migrations.AddField(
            model_name='publication',
            name='digest',
            field=models.CharField(blank=True, db_index=True, max_length=64, verbose_name='digest (SHA-256)'),
        ),
        migrations.AddField(
            model_name='publication',
            name='previous_digest',
            field=models.CharField(blank=True, max_length=64, verbose_name="previous publication's digest"),
        ),
        migrations.CreateModel(
            name='PublishedList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content', models.BinaryField(verbose_name='CSV')),
                ('publication', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='published_list', to='selection.publication', verbose_name='publication')),
            ],
            options={
                'verbose_name': 'published list',
                'verbose_name_plural': 'published lists',
            },
        ),
    ]
