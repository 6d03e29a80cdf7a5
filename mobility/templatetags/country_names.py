"""`{{ letter.country|country_name }}`: a country by its name in the page's language, never its ISO code.

Machine files (CSV, XML, the placement contract) keep the codes; only what a person reads says names.
"""
from django import template

from mobility.iso3166 import country_name as _name

register = template.Library()


@register.filter
def country_name(code) -> str:
    return _name(code)


@register.filter
def country_names(codes) -> str:
    """A space-separated list of codes (a country group) as names, in the order given."""
    return ", ".join(_name(code) for code in str(codes or "").split()) or "—"
