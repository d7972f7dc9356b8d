import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mostaql.catalog.selectors import catalog_version
from mostaql.core.cache import FRAGMENTS, current_version
from mostaql.core.exceptions import DomainError
from mostaql.gigs import services as gig_services
from mostaql.projects.services import LIST_VERSION_KEY
from mostaql.saved import alerts, selectors, services
from mostaql.saved.feeds import FEED_URL_NAMES, ProjectsFeed, RequestsFeed, ServicesFeed
from mostaql.saved.forms import SearchSettingsForm
from mostaql.saved.lists import PROJECTS, REQUESTS, SERVICES, SearchableList, searchable_list
from mostaql.saved.models import SavedSearch
from mostaql.saved.toggles import render_toggle

FEED_MAX_AGE = 300  # seconds a reader or a proxy may keep the feed without asking again
FEED_CACHE_SECONDS = 120


def _params(request) -> dict[str, list[str]]:
    return {name: request.GET.getlist(name) for name in request.GET}


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _feed(request, entry: SearchableList, feed_class: type[ProjectsFeed], version: str):
    """A list's Atom feed with the list's query and filters. Unknown parameters (a reader's tracking
    tags) are ignored; a wrong filter or a query too long is a 400 saying why. Conditional requests
    (ETag, Last-Modified) are answered 304 without reading the database."""
    params = {name: values for name, values in _params(request).items() if name in entry.filter_names}
    try:
        cleaned = entry.clean(request.GET.get("q", ""), params)
    except DomainError as error:
        return HttpResponseBadRequest(error.message, content_type="text/plain; charset=utf-8")
    if cleaned.dropped:
        return HttpResponseBadRequest(" ".join(cleaned.dropped), content_type="text/plain; charset=utf-8")
    version = f"{entry.name}:{version}:{catalog_version()}:{get_language()}:{cleaned.shape}"
    etag = '"' + hashlib.md5(version.encode()).hexdigest() + '"'
    key = f"saved:feed:{etag}"
    cached = caches[FRAGMENTS].get(key)
    if cached is None:
        # The feed written into one string, not into the response element by element (2,000 writes).
        generator = feed_class().get_feed(cleaned, request)
        cached = (
            generator.writeString("utf-8").encode(),
            http_date(generator.latest_post_date().timestamp()),
            generator.content_type,
        )
        caches[FRAGMENTS].set(key, cached, FEED_CACHE_SECONDS)
    content, last_modified, content_type = cached
    response = get_conditional_response(
        request, etag=etag, last_modified=parse_http_date_safe(last_modified)
    ) or HttpResponse(content, content_type=content_type)
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = last_modified
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def projects_feed(request):
    """The Atom feed of /projects/ with the same query and filters."""
    return _feed(request, PROJECTS, ProjectsFeed, str(current_version(LIST_VERSION_KEY)))


def services_feed(request):
    """The Atom feed of /services/ with the same query and filters."""
    return _feed(request, SERVICES, ServicesFeed, str(current_version(gig_services.LIST_VERSION_KEY)))


def requests_feed(request):
    """The Atom feed of /requests/ with the same query and filters. Requests leave the list as time
    passes (they expire), and no version counts their changes: the feed is cached by the clock."""
    return _feed(request, REQUESTS, RequestsFeed, str(int(time.time() // FEED_CACHE_SECONDS)))


@login_required
def favourites(request):
    return render(request, "saved/favourites.html", {"sections": selectors.favourites_page(request.user)})


@login_required
@require_POST
def toggle(request):
    kind = request.POST.get("kind", "")
    try:
        object_id = int(request.POST.get("object_id", ""))
    except ValueError:
        raise Http404 from None
    if not 0 < object_id < 2**63:
        raise Http404
    try:
        is_saved = services.toggle_favourite(user=request.user, kind=kind, object_id=object_id)
    except DomainError as error:
        if error.status == 404 or error.field == "kind":
            raise Http404 from None
        raise
    if request.htmx:
        return HttpResponse(
            render_toggle(
                request,
                kind=kind,
                object_id=object_id,
                is_saved=is_saved,
                next_url=_back(request, reverse("saved:index")),
            )
        )
    messages.success(request, _("Saved to your list.") if is_saved else _("Removed from your list."))
    return redirect(_back(request, reverse("saved:index")))


@login_required
def searches(request):
    found = selectors.described(list(selectors.searches_of(request.user)))
    for search in found:
        search.url = alerts.list_url(search)
        search.feed_url = reverse(FEED_URL_NAMES[search.list_name]) + alerts.query_string(search)
        search.form = SearchSettingsForm(
            initial={"name": search.name, "frequency": search.frequency}, prefix=f"search-{search.pk}"
        )
    return render(
        request,
        "saved/searches.html",
        {"searches": found, "limit": settings.SAVED_SEARCHES_PER_USER, "frequencies": SavedSearch.Frequency},
    )


@login_required
@require_POST
def search_create(request):
    """Save the list's search from its page: the page's query string, cleaned with a message for what
    was left out; a query too long is refused."""
    list_name = request.POST.get("list_name", "projects")
    try:
        entry = searchable_list(list_name)
    except DomainError:
        raise Http404 from None
    params = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "list_name", "frequency", "next", "name")
    }
    back = _back(request, reverse(entry.url_name))
    try:
        cleaned = entry.clean(request.POST.get("q", ""), params)
        saved = services.save_search(
            user=request.user,
            list_name=list_name,
            query=cleaned.query,
            filters=cleaned.filters,
            frequency=request.POST.get("frequency", SavedSearch.Frequency.DAILY),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    for note in cleaned.dropped:
        messages.warning(request, note)
    if list_name == "services":  # services are not matched as they are published (saved.lists)
        note = _("Search saved as “%(name)s”.")
    elif list_name == "requests":
        note = _("Search saved as “%(name)s”. New requests that match it will come to you.")
    else:
        note = _("Search saved as “%(name)s”. New projects that match it will come to you.")
    messages.success(request, note % {"name": saved.name})
    return redirect(back)


@login_required
@require_POST
def search_edit(request, pk: int):
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    form = SearchSettingsForm(request.POST, prefix=f"search-{search.pk}")
    if form.is_valid():
        try:
            services.change_search(
                user=request.user,
                saved_search=search,
                frequency=form.cleaned_data["frequency"],
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved search updated."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("saved:searches")


@login_required
def search_delete(request, pk: int):
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        services.delete_search(user=request.user, saved_search=search)
        messages.success(request, _("Saved search deleted."))
        return redirect("saved:searches")
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Delete this saved search?"),
            "confirm_lines": [search.name, _("Its alerts stop; the projects themselves stay.")],
            "confirm_action": reverse("saved:search_delete", args=[search.pk]),
            "confirm_button": _("Delete"),
            "cancel_url": reverse("saved:searches"),
        },
    )


@login_required
@require_POST
def skills_alerts(request):
    accept = request.POST.get("answer") == "yes"
    created = services.answer_skills_offer(user=request.user, accept=accept)
    if created:
        messages.success(
            request,
            _("Alerts are on for %(count)s skills: a daily digest of the new projects in them.")
            % {"count": len(created)},
        )
    return redirect(_back(request, reverse("dashboard")))
