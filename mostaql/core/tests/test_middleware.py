"""Every response carries the Content-Security-Policy from settings."""

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import RequestFactory

from mostaql.core.middleware import ContentSecurityPolicyMiddleware

MIDDLEWARE_PATH = "mostaql.core.middleware.ContentSecurityPolicyMiddleware"


def respond_with(response: HttpResponse):
    def get_response(request):
        return response

    return get_response


def test_a_response_gets_the_policy_from_settings(settings):
    # given the middleware around a view that sets no policy
    settings.CONTENT_SECURITY_POLICY = "default-src 'self'"
    middleware = ContentSecurityPolicyMiddleware(respond_with(HttpResponse("ok")))

    # when a request passes through it
    response = middleware(RequestFactory().get("/"))

    # then the response carries the policy
    assert response.headers["Content-Security-Policy"] == "default-src 'self'"


def test_a_view_that_sets_its_own_policy_keeps_it(settings):
    # given a view that needs a different policy (an embedded payment form, say)
    settings.CONTENT_SECURITY_POLICY = "default-src 'self'"
    own_policy = "default-src 'self'; frame-src https://pay.example"
    response = HttpResponse("ok", headers={"Content-Security-Policy": own_policy})
    middleware = ContentSecurityPolicyMiddleware(respond_with(response))

    # when a request passes through the middleware
    result = middleware(RequestFactory().get("/"))

    # then the view's policy is not overwritten
    assert result.headers["Content-Security-Policy"] == own_policy


def test_no_header_is_sent_when_no_policy_is_configured(settings):
    # given no policy in settings
    settings.CONTENT_SECURITY_POLICY = ""
    middleware = ContentSecurityPolicyMiddleware(respond_with(HttpResponse("ok")))

    # when a request passes through
    response = middleware(RequestFactory().get("/"))

    # then no empty header is sent
    assert "Content-Security-Policy" not in response.headers


def test_the_policy_middleware_is_installed():
    assert MIDDLEWARE_PATH in django_settings.MIDDLEWARE


@pytest.mark.parametrize(
    "directive",
    [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ],
)
def test_the_configured_policy_locks_down_scripts_plugins_and_framing(directive):
    # given the project's policy
    directives = [part.strip() for part in django_settings.CONTENT_SECURITY_POLICY.split(";")]

    # then each protective directive is present
    assert directive in directives


def test_the_configured_policy_allows_no_inline_or_evaluated_script():
    policy = django_settings.CONTENT_SECURITY_POLICY

    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
def test_the_home_page_is_served_with_the_policy(client):
    # given the full middleware stack

    # when the home page is requested
    response = client.get("/")

    # then it carries the configured policy
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == django_settings.CONTENT_SECURITY_POLICY
