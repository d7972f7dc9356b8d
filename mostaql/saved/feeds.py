"""The Atom feed of a list with its filters (/projects/feed/?category=…&q=…): Django's syndication
framework over the list's own selector, the newest FEED_ENTRIES entries."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mostaql.saved.lists import PROJECTS, Cleaned


class ProjectsFeed(Feed):
    feed_type = Atom1Feed

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
        return reverse(PROJECTS.url_name) + ("?" + urlencode(params, doseq=True) if params else "")

    def items(self, cleaned: Cleaned):
        results = PROJECTS.results(query=cleaned.query, **cleaned.filters)
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
