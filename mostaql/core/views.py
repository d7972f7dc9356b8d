from django.conf import settings
from django.http import Http404, HttpResponse

# Exactly 200 bytes: what a view costs when it does no work (the benchmark's ceiling).
FIXED_BODY = b"Mostaql benchmark: a fixed response from a Django view. " + b"." * 144


def fixed_response(request):
    """Mounted only when settings.BENCHMARK_ENDPOINTS is on (see config/urls.py and `manage.py bench`)."""
    if not settings.BENCHMARK_ENDPOINTS:
        raise Http404
    return HttpResponse(FIXED_BODY, content_type="text/plain; charset=utf-8")
