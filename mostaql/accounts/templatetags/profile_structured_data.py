from django import template

from mostaql.accounts.structured_data import absolute
from mostaql.accounts.structured_data import person as person_data

register = template.Library()


@register.filter
def person(profile):
    """`{{ profile|person|json_ld }}`: Person data for a public profile."""
    return person_data(profile)


@register.filter
def absolute_url(url: str) -> str:
    return absolute(url)
