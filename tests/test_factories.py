"""Every app with models has factories in tests/factories.py, and each factory makes a valid row."""
import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

PROJECT_APPS = {"mobility", "applications", "selection", "letters", "appeals"}
FACTORIES = [
    cls for _name, cls in inspect.getmembers(factories, inspect.isclass)
    if issubclass(cls, factory.django.DjangoModelFactory) and cls is not factory.django.DjangoModelFactory
]


def test_every_app_with_models_has_a_factory():
    with_models = {config.label for config in apps.get_app_configs() if config.label in PROJECT_APPS and list(config.get_models())}
    covered = {f._meta.model._meta.app_label for f in FACTORIES}
    assert with_models - covered == set()


@pytest.mark.django_db
@pytest.mark.parametrize("maker", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_makes_a_row_that_passes_the_models_validation(maker, settings, tmp_path):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path
    obj = maker()
    exclude = [f.name for f in obj._meta.fields if f.name in ("password",)]
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
