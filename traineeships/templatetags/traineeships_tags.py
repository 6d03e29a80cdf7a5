from django import template

register = template.Library()


@register.filter
def fields_named(form, names: str):
    """The bound fields of `form` named in a comma-separated list, in that order."""
    return [form[name] for name in names.split(",") if name in form.fields]
