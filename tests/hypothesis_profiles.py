"""Hypothesis profiles of the suite.

mutmut runs the fast tests once per mutant (pyproject.toml, [tool.mutmut]), with
``--hypothesis-profile=mutation``: a property test then tries a few examples instead of hundreds.
The table-driven tests carry the documents' examples; the properties add breadth in normal runs.
"""
from hypothesis import settings

MUTATION = "mutation"
settings.register_profile(MUTATION, max_examples=20, deadline=None, database=None)


def examples(wanted: int) -> int:
    """``wanted`` examples, or the mutation profile's few when that profile is loaded."""
    if settings.get_current_profile_name() == MUTATION:
        return settings().max_examples
    return wanted
