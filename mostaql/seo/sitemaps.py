"""sitemap.xml, one section per kind of page, each paginated by Django at SITEMAP_LIMIT addresses.

Only what an anonymous visitor can open is listed: open projects that no moderator hid (never a
pending, rejected, private or hidden one), public profiles of active accounts that are not
hidden, and published guides. Services will get their own section when the services market exists.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from mostaql.accounts.models import Profile, User
from mostaql.guides.selectors import published_articles
from mostaql.projects.selectors import public_projects
from mostaql.reports.visibility import is_hidden


class _SiteSitemap(Sitemap):
    # Addresses take the host and scheme of the request (ALLOWED_HOSTS and the TLS proxy's header
    # make those the public ones).

    @property
    def limit(self) -> int:
        return settings.SITEMAP_LIMIT


class ProjectSitemap(_SiteSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return (
            public_projects()  # never a private project (projects.selectors holds the rule)
            .filter(owner__is_active=True)
            .only("id", "updated_at")
            .order_by("id")
        )

    def lastmod(self, project):
        return project.updated_at


class ProfileSitemap(_SiteSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return (
            Profile.objects.filter(~is_hidden("profile"), user__is_active=True)
            .exclude(user__primary_role=User.Role.CLIENT, title="", bio="")
            .only("id", "slug", "updated_at")
            .order_by("id")
        )

    def lastmod(self, profile):
        return profile.updated_at


class GuideSitemap(_SiteSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return published_articles().select_related(None).only("id", "slug", "updated_at").order_by("id")

    def lastmod(self, article):
        return article.updated_at


class PageSitemap(_SiteSitemap):
    """The fixed public pages: home, the lists, the guides' index and the help centre."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return [
            "home", "projects:list", "accounts:freelancers", "guides:index", "help:index", "help:fees",
            "help:terms", "help:privacy",
        ]  # fmt: skip

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "projects": ProjectSitemap,
    "profiles": ProfileSitemap,
    "guides": GuideSitemap,
}
