"""The one way a view shows a service's refusal on its form."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error


class OfferForm(forms.Form):
    amount = forms.IntegerField()
    text = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _bound_form() -> OfferForm:
    form = OfferForm({"amount": "10", "text": "I can do it"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_is_shown_under_that_field():
    form = _bound_form()

    shown = show_domain_error(form, DomainError("Too little.", field="amount"))

    assert shown
    assert form.errors == {"amount": ["Too little."]}


def test_a_refusal_about_no_field_is_shown_above_the_fields():
    form = _bound_form()

    shown = show_domain_error(form, DomainError("The project is closed.", field="project"))

    assert shown
    assert form.non_field_errors() == ["The project is closed."]


def test_with_the_request_a_refusal_about_no_field_becomes_a_page_message():
    form, request = _bound_form(), _request()

    shown = show_domain_error(form, DomainError("The project is closed."), request=request)

    assert not shown
    assert form.errors == {}
    assert [str(message) for message in get_messages(request)] == ["The project is closed."]


def test_with_the_request_a_refusal_naming_a_field_still_goes_under_it():
    form, request = _bound_form(), _request()

    shown = show_domain_error(form, DomainError("Too little.", field="amount"), request=request)

    assert shown
    assert form.errors == {"amount": ["Too little."]}
    assert list(get_messages(request)) == []
