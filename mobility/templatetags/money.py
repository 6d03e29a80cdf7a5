"""`{{ amount|euro }}`: the one money format of every page, mail and PDF (€1.350,00 in Turkish, €1,350.00 in English)."""
from django import template

from mobility.audit_words import money

register = template.Library()


@register.filter
def euro(value):
    return "—" if value is None or value == "" else money(value)
