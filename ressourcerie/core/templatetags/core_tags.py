from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination, filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def breakable(value) -> str:
    """An address or a path shown as text, with a line-break opportunity after each « / »:
    on a narrow screen it wraps between its parts rather than inside a word."""
    return mark_safe(escape(value).replace("/", "/<wbr>"))  # noqa: S308 (escaped just before)
