"""sitemap.xml lists exactly what a visitor can open, robots.txt keeps crawlers out of private areas,
and private pages say `noindex`."""

import re

import pytest
from django.urls import reverse

from mostaql.accounts.models import Profile, User
from mostaql.accounts.tests.factories import UserFactory
from mostaql.gigs.tests.factories import approved_service, published_service
from mostaql.guides.models import Article
from mostaql.projects import services as project_services
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    moderator,
    open_project,
    post_project,
)
from mostaql.reports import services as report_services

pytestmark = pytest.mark.django_db


def _locations(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return set(re.findall(r"<loc>([^<]+)</loc>", response.content.decode()))


def _section(client, name: str, page: int | None = None) -> set[str]:
    url = reverse("seo:sitemap_section", args=[name]) + (f"?p={page}" if page else "")
    return {location.removeprefix("http://testserver") for location in _locations(client, url)}


def test_the_index_points_at_one_sitemap_per_section(client):
    locations = _locations(client, reverse("seo:sitemap_index"))

    assert locations == {
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "projects", "services", "profiles", "guides")
    }


def test_only_open_visible_projects_are_listed(client):
    staff = moderator(name="مشرفة")
    owner = client_user()
    shown = open_project(owner, title="مشروع مفتوح للجميع")
    pending = post_project(owner, title="مشروع ينتظر المراجعة")
    rejected = post_project(owner, title="مشروع مرفوض")
    project_services.reject_project(moderator=staff, project=rejected, reason="وصف ناقص لا يكفي للعمل عليه")
    hidden = open_project(owner, title="مشروع أخفاه المشرفون")
    report_services.hide_item(staff=staff, item=hidden)
    closed = open_project(owner, title="مشروع أغلقه صاحبه")
    project_services.close_project(owner=owner, project=closed)

    listed = _section(client, "projects")

    assert listed == {shown.get_absolute_url()}
    statuses = dict(Project.objects.filter(pk__in=[pending.pk, rejected.pk]).values_list("pk", "status"))
    assert statuses == {pending.pk: Project.Status.PENDING_REVIEW, rejected.pk: Project.Status.REJECTED}


def test_public_profiles_are_listed_but_not_hidden_or_suspended_ones(client):
    staff = moderator(name="مشرفة")
    shown = freelancer_user(name="مستقلة ظاهرة")
    hidden = freelancer_user(name="مستقل مخفي")
    report_services.hide_item(staff=staff, item=hidden.profile)
    suspended = freelancer_user(name="مستقل موقوف")
    report_services.suspend_account(staff=staff, user=suspended, reason="احتيال على أصحاب المشاريع")
    empty_client = UserFactory(primary_role=User.Role.CLIENT)

    listed = _section(client, "profiles")

    assert shown.profile.get_absolute_url() in listed
    for person in (hidden, suspended, empty_client):
        assert person.profile.get_absolute_url() not in listed
    # Every address listed opens for a visitor.
    for url in listed:
        assert client.get(url).status_code == 200


def test_published_guides_are_listed_and_drafts_are_not(client):
    Article.objects.filter(slug="agree-the-scope").update(is_published=False)

    listed = _section(client, "guides")

    assert listed == {article.get_absolute_url() for article in Article.objects.filter(is_published=True)}
    assert "/guides/agree-the-scope/" not in listed and len(listed) == 9


def test_the_fixed_pages_are_listed(client):
    listed = _section(client, "pages")

    for name in (
        "home",
        "projects:list",
        "gigs:list",
        "guides:index",
        "help:index",
        "help:fees",
        "help:terms",
    ):
        assert reverse(name) in listed


def test_a_large_section_is_split_into_pages(client, settings):
    settings.SITEMAP_LIMIT = 3
    for number in range(5):
        freelancer_user(name=f"مستقل {number}")
    expected = {
        profile.get_absolute_url()
        for profile in Profile.objects.filter(user__is_active=True, user__primary_role=User.Role.FREELANCER)
    }

    index = _locations(client, reverse("seo:sitemap_index"))
    first, second = _section(client, "profiles", 1), _section(client, "profiles", 2)

    assert "http://testserver/sitemap-profiles.xml?p=2" in index
    assert len(first) == 3 and not first & second
    assert first | second == expected


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_sitemap(client, settings):
    settings.SITE_URL = "https://mostaql.example"
    response = client.get("/robots.txt")

    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    for path in ("/staff/", "/admin/", "/wallet/", "/messages/", "/settings/", "/dashboard/", "/contracts/"):
        assert f"Disallow: {path}\n" in text
    assert "Sitemap: https://mostaql.example/sitemap.xml" in text
    assert "Disallow: /projects/\n" not in text and "Disallow: /guides/" not in text


@pytest.mark.parametrize(
    "url", ["/wallet/", "/messages/", "/settings/", "/dashboard/", "/notifications/", "/staff/projects/"]
)
def test_private_pages_say_noindex(client, url):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(url)

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_public_pages_are_indexable_and_search_results_are_not(client):
    project = open_project()

    for url in ("/", "/projects/", project.get_absolute_url(), "/guides/", "/help/fees/"):
        response = client.get(url)
        assert "X-Robots-Tag" not in response, url
        assert '<meta name="robots"' not in response.content.decode(), url
    assert client.get("/projects/", {"q": "متجر"})["X-Robots-Tag"] == "noindex, follow"
    assert client.get("/freelancers/", {"page": "2"})["X-Robots-Tag"] == "noindex, follow"


def test_a_project_waiting_for_review_is_not_indexed_even_by_its_owner(client):
    owner = client_user()
    project = post_project(owner)
    client.force_login(owner)

    page = client.get(project.get_absolute_url()).content.decode()

    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_every_public_page_has_a_canonical_address_and_a_sharing_picture(client, settings):
    settings.SITE_URL = "https://mostaql.example"
    project = open_project(title="تصميم شعار لمقهى")

    page = client.get(project.get_absolute_url(), {"utm_source": "x"}).content.decode()

    assert f'<link rel="canonical" href="https://mostaql.example/projects/{project.pk}/">' in page
    assert '<meta property="og:title" content="تصميم شعار لمقهى">' in page
    assert '<meta property="og:image" content="https://mostaql.example/static/img/share.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_only_published_services_are_listed(client):
    shown = approved_service()
    pending = published_service()
    listed = _section(client, "services")
    assert shown.get_absolute_url() in listed and pending.get_absolute_url() not in listed
