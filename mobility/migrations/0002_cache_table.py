"""The database cache table, so every `migrate` (Makefile, compose, CI) leaves a working cache.

Without REDIS_URL the cache is a database table that every process shares (the sign-in rate
limits count in it). `createcachetable` creates only the tables of configured database caches
and skips existing ones, so this is a no-op with Redis and safe to repeat.
"""
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("mobility", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
