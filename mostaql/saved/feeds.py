"""The Atom feed of a list with its filters (/projects/feed/?category=…&q=…): Django's syndication
framework over the list's own selector, the newest FEED_ENTRIES entries."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mostaql.core.money import format_money
from mostaql.saved.lists import PROJECTS, REQUESTS, SERVICES, Cleaned

FEED_URL_NAMES = {
    "projects": "saved:projects_feed",
    "services": "saved:services_feed",
    "requests": "saved:requests_feed",
}


class ProjectsFeed(Feed):
    """The project list's feed; the other lists' feeds extend it with their list and their items' fields."""

    feed_type = Atom1Feed
    entry = PROJECTS

    def get_object(self, request, cleaned: Cleaned):
        return cleaned

    def title(self, cleaned: Cleaned) -> str:
        if cleaned.query:
            return _("Mostaql: open projects for “%(query)s”") % {"query": cleaned.query}
        return _("Mostaql: open projects")

    def subtitle(self, cleaned: Cleaned) -> str:
        return _("The newest open projects on Mostaql with this search's filters.")

    def link(self, cleaned: Cleaned) -> str:
        params = {"q": cleaned.query, **cleaned.filters} if cleaned.query else cleaned.filters
        return reverse(self.entry.url_name) + ("?" + urlencode(params, doseq=True) if params else "")

    def items(self, cleaned: Cleaned):
        results = self.entry.results(query=cleaned.query, **cleaned.filters)
        return list(results[: settings.FEED_ENTRIES])

    def item_title(self, project) -> str:
        return project.title

    def item_description(self, project) -> str:
        return project.description[:600]

    def item_link(self, project) -> str:
        return project.get_absolute_url()

    def item_pubdate(self, project):
        return project.published_at

    def item_updateddate(self, project):
        return project.published_at

    def item_author_name(self, project) -> str:
        return project.owner.name

    def item_categories(self, project):
        return [project.category.name]

    def item_guid(self, project) -> str:
        return f"{settings.SITE_URL}{project.get_absolute_url()}"

    item_guid_is_permalink = False


class ServicesFeed(ProjectsFeed):
    """/services/feed/: the newest published services with the list's filters."""

    entry = SERVICES

    def title(self, cleaned: Cleaned) -> str:
        if cleaned.query:
            return _("Mostaql: services for “%(query)s”") % {"query": cleaned.query}
        return _("Mostaql: services")

    def subtitle(self, cleaned: Cleaned) -> str:
        return _("The newest services on Mostaql with this search's filters.")

    def item_description(self, service) -> str:
        # The list's selector leaves the description out: the price and the delivery time say enough.
        return _("%(price)s, delivered in %(days)s days") % {
            "price": format_money(service.price_cents),
            "days": service.delivery_days,
        }

    def item_author_name(self, service) -> str:
        return service.seller.name


class RequestsFeed(ProjectsFeed):
    """/requests/feed/: the newest open buyer requests with the list's filters."""

    entry = REQUESTS

    def title(self, cleaned: Cleaned) -> str:
        if cleaned.query:
            return _("Mostaql: buyer requests for “%(query)s”") % {"query": cleaned.query}
        return _("Mostaql: buyer requests")

    def subtitle(self, cleaned: Cleaned) -> str:
        return _("The newest open buyer requests on Mostaql with this search's filters.")

    def item_author_name(self, brief) -> str:
        return brief.buyer.name
