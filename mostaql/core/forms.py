from django.contrib import messages
from django.forms import BaseForm
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest

from mostaql.core.exceptions import DomainError


class FormRenderer(TemplatesSetting):
    """Forms render through our own field template (templates/forms/), so errors sit beside fields."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


def show_domain_error(form: BaseForm, error: DomainError, *, request: HttpRequest | None = None) -> bool:
    """Show a service's refusal on the form that asked for it; answer whether the form shows it.

    The message goes under the field the error names. A rule about no field of the form (the state of
    the object, not what was typed) is shown above the fields; or, when `request` is given, as a page
    message, and the answer is False: the form has nothing to correct, so the caller redirects.
    """
    if error.field in form.fields:
        form.add_error(error.field, error.message)
        return True
    if request is not None:
        messages.error(request, error.message)
        return False
    form.add_error(None, error.message)
    return True
