from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render

from mostaql.accounts import selectors as account_selectors
from mostaql.catalog.selectors import categories_with_skills
from mostaql.projects import selectors as project_selectors


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "categories": categories_with_skills(),
            "freelancers": account_selectors.freelancer_directory()[:6],
            "projects": project_selectors.open_projects()[:5],
        },
    )


# Exactly 200 bytes: what a view costs when it does no work (the benchmark's ceiling).
FIXED_BODY = b"Mostaql benchmark: a fixed response from a Django view. " + b"." * 144


def fixed_response(request):
    """Mounted only when settings.BENCHMARK_ENDPOINTS is on (see config/urls.py and `manage.py bench`)."""
    if not settings.BENCHMARK_ENDPOINTS:
        raise Http404
    return HttpResponse(FIXED_BODY, content_type="text/plain; charset=utf-8")
