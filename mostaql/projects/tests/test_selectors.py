"""Browsing open projects, the dashboards, and what each page costs in queries."""

import html
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.catalog.models import Category
from mostaql.contracts.models import Contract
from mostaql.projects import services
from mostaql.projects.models import Budget, Offer, Project
from mostaql.projects.tests.factories import (
    OfferFactory,
    ProjectFactory,
    add_offers,
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
    post_project,
    published_days_ago,
    skills,
)

S = Project.Status

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def listed(response) -> list[int]:
    """The ids of the project cards on a list page, in order."""
    return [
        int(pk)
        for pk in re.findall(r'class="card-title"[^>]*>\s*<a href="/projects/(\d+)/"', page_text(response))
    ]


def ids(*projects: Project) -> list[int]:
    return [project.pk for project in projects]


def newest_first(count: int, **fields) -> list[Project]:
    """`count` open projects, the first one published last (so it heads the list)."""
    projects = ProjectFactory.create_batch(count, **fields)
    for age, project in enumerate(projects):
        published_days_ago(project, age / 100)
    return projects


# --- The public list ------------------------------------------------------------------------------


def test_only_open_projects_are_listed_newest_first(client):
    older, newer = ProjectFactory(), ProjectFactory()
    published_days_ago(older, 2)
    published_days_ago(newer, 1)
    for status in (S.PENDING_REVIEW, S.REJECTED, S.HIRING, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED, S.CLOSED):
        ProjectFactory(status=status)

    assert listed(client.get("/projects/")) == ids(newer, older)


def test_the_list_shows_twenty_five_projects_a_page(client, settings):
    assert settings.PROJECTS_PER_PAGE == 25
    projects = newest_first(30)

    assert listed(client.get("/projects/")) == ids(*projects[:25])
    assert listed(client.get("/projects/?page=2")) == ids(*projects[25:])


def test_a_card_shows_title_budget_offers_and_the_clients_name(client):
    project = ProjectFactory(
        title="ترجمة موقع شركة ناشئة", budget=Budget.B500_1000, owner=client_user("هند العميلة")
    )
    add_offers(project, 3)
    client.cookies["django_language"] = "en"

    page = page_text(client.get("/projects/"))

    assert "ترجمة موقع شركة ناشئة" in page
    assert "$500 – $1,000" in page
    assert "3 offers" in page
    assert "هند العميلة" in page


def test_the_cards_are_rendered_as_html_not_shown_as_text(client):
    ProjectFactory(title="تصميم شعار لمتجر قهوة")

    content = client.get("/projects/").content.decode()

    assert "&lt;article" not in content
    assert '<article class="card project-card">' in content


def test_the_list_filters_by_category(client):
    design = ProjectFactory(category=Category.objects.get(slug="design"))
    ProjectFactory(category=Category.objects.get(slug="programming"))

    assert listed(client.get("/projects/?category=design")) == ids(design)


def test_the_list_filters_by_every_skill_asked_for(client):
    both = ProjectFactory(skills=skills("python", "django"))
    python_only = ProjectFactory(skills=skills("python"))
    ProjectFactory(skills=skills("react"))
    published_days_ago(python_only, 1)

    assert listed(client.get("/projects/?skills=python")) == ids(both, python_only)
    assert listed(client.get("/projects/?skills=python&skills=django")) == ids(both)
    assert listed(client.get("/projects/?skills=python&skills=react")) == []


def test_the_list_filters_by_budget_and_ignores_an_unknown_one(client):
    small = ProjectFactory(budget=Budget.B25_50)
    large = ProjectFactory(budget=Budget.B5000_10000)
    published_days_ago(small, 1)

    assert listed(client.get("/projects/?budget=5000-10000")) == ids(large)
    assert listed(client.get("/projects/?budget=nonsense")) == ids(large, small)


def test_the_list_filters_by_posting_date(client):
    today, this_week, this_month, long_ago = ProjectFactory.create_batch(4)
    for project, days in ((today, 0.5), (this_week, 3), (this_month, 20), (long_ago, 45)):
        published_days_ago(project, days)

    assert listed(client.get("/projects/?posted=day")) == ids(today)
    assert listed(client.get("/projects/?posted=week")) == ids(today, this_week)
    assert listed(client.get("/projects/?posted=month")) == ids(today, this_week, this_month)
    assert listed(client.get("/projects/")) == ids(today, this_week, this_month, long_ago)


def test_the_list_sorts_by_fewest_offers(client):
    busy, quiet, some = ProjectFactory.create_batch(3)
    add_offers(busy, 3)
    add_offers(some, 1)

    assert listed(client.get("/projects/?sort=fewest_offers")) == ids(quiet, some, busy)


def test_filters_combine(client):
    match = ProjectFactory(category=Category.objects.get(slug="design"), skills=skills("logo-design"))
    ProjectFactory(category=Category.objects.get(slug="design"), skills=skills("photoshop"))
    ProjectFactory(
        category=Category.objects.get(slug="design"), skills=skills("logo-design"), budget=Budget.B25_50
    )

    response = client.get(f"/projects/?category=design&skills=logo-design&budget={match.budget}&posted=week")

    assert listed(response) == ids(match)


# --- Cached results, retired when a project changes ----------------------------------------------


def test_the_results_are_cached_until_a_project_changes(client, django_capture_on_commit_callbacks):
    first = open_project(title="مشروع قديم منشور")
    assert listed(client.get("/projects/")) == ids(first)
    written_behind_the_services_back = ProjectFactory()

    still_cached = listed(client.get("/projects/"))

    assert still_cached == ids(first)
    assert written_behind_the_services_back.pk not in still_cached


def test_a_project_appears_on_the_list_right_after_approval(client, django_capture_on_commit_callbacks):
    first = open_project()
    assert listed(client.get("/projects/")) == ids(first)
    waiting = post_project(title="مشروع جديد بانتظار الموافقة")
    assert listed(client.get("/projects/")) == ids(first)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_project(moderator=moderator(), project=waiting)

    assert listed(client.get("/projects/")) == ids(waiting, first)


def test_a_closed_project_leaves_the_list_at_once(client, django_capture_on_commit_callbacks):
    leaving, staying = open_project(), open_project()
    assert set(listed(client.get("/projects/"))) == {leaving.pk, staying.pk}

    with django_capture_on_commit_callbacks(execute=True):
        services.close_project(owner=leaving.owner, project=leaving)

    assert listed(client.get("/projects/")) == ids(staying)


def test_a_new_offer_updates_the_count_on_the_card(client, django_capture_on_commit_callbacks):
    project = open_project()
    client.cookies["django_language"] = "en"
    assert "<span>0 offers</span>" in page_text(client.get("/projects/"))

    with django_capture_on_commit_callbacks(execute=True):
        place_offer(project)

    assert "<span>1 offer</span>" in page_text(client.get("/projects/"))


def test_a_hired_project_leaves_the_list_at_once(client, django_capture_on_commit_callbacks):
    project = open_project()
    offer = place_offer(project)
    assert listed(client.get("/projects/")) == ids(project)

    with django_capture_on_commit_callbacks(execute=True):
        hire(offer)

    assert listed(client.get("/projects/")) == []


# --- Query counts ---------------------------------------------------------------------------------


def clear_caches() -> None:
    for cache in caches.all():
        cache.clear()


def queries_for(client, url: str) -> int:
    """Queries of one request, with the rendered results not cached (each measure starts cold)."""
    client.get(url)  # per-process caches (content types, translations) stay out of the count
    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "most"),
    [
        # The count (up to the list's limit), the page, its owners; the filter menus' categories and
        # skills; for filters, the catalog's ids by slug too.
        ("/projects/", 5),
        ("/projects/?category=programming&skills=python&budget=100-250&posted=week&sort=fewest_offers", 7),
        # A search, most relevant first: the vocabulary's look-up for typos, the count, the page's
        # ranked ids, its rows, its owners; the filter menus.
        ("/projects/?q=مشاريع تجريبية", 7),
    ],
    ids=["plain", "filtered", "searched"],
)
def test_the_list_costs_the_same_with_5_and_50_open_projects(client, url, most, django_assert_num_queries):
    ProjectFactory.create_batch(5)
    with_five = queries_for(client, url)
    ProjectFactory.create_batch(45)
    client.get(url)
    clear_caches()

    with django_assert_num_queries(with_five):
        response = client.get(url)

    assert len(listed(response)) == 25
    assert with_five <= most


def test_page_two_of_sixty_costs_the_same_as_a_short_list(client, django_assert_num_queries):
    ProjectFactory.create_batch(5)
    with_five = queries_for(client, "/projects/")
    ProjectFactory.create_batch(55)
    client.get("/projects/?page=2")
    clear_caches()

    with django_assert_num_queries(with_five):
        response = client.get("/projects/?page=2")

    assert len(listed(response)) == 25


def test_a_cached_list_costs_no_query(client, django_assert_num_queries):
    ProjectFactory.create_batch(30)
    client.get("/projects/")

    with django_assert_num_queries(0):  # the results and the filter menus are both cached
        response = client.get("/projects/")

    assert len(listed(response)) == 25


# Issue 13 added: the identity badges (one query for the client, bidders and suggestions) and the
# client's total spent, for everyone; whether a signed-in visitor was invited; for the owner, who is
# invited and the suggested freelancers (with their skills).
@pytest.mark.parametrize(
    ("viewer", "most"),
    [("anonymous", 8), ("owner", 16), ("bidder", 15), ("freelancer", 16)],
)
def test_the_project_page_costs_the_same_with_5_and_50_offers(
    client, viewer, most, django_assert_num_queries
):
    project = open_project()
    offers = add_offers(project, 5)
    people = {"owner": project.owner, "bidder": offers[0].freelancer, "freelancer": freelancer_user()}
    if viewer in people:
        client.force_login(people[viewer])
    url = f"/projects/{project.pk}/"
    with_five = queries_for(client, url)
    add_offers(project, 45)
    client.get(url)
    clear_caches()

    with django_assert_num_queries(with_five):
        response = client.get(url)

    assert len(response.context["offers"]) == 50
    assert with_five <= most


# --- Dashboards -----------------------------------------------------------------------------------


def project_with_contract(owner, status=Contract.Status.AWAITING_FUNDING, freelancer=None) -> Project:
    """A plain row of a project that hired, with its offer and contract."""
    project = ProjectFactory(owner=owner, status=S.HIRING)
    hired = {"freelancer": freelancer} if freelancer else {}
    offer = OfferFactory(project=project, status=Offer.Status.HIRED, **hired)
    Contract.objects.create(
        project=project,
        offer=offer,
        client=owner,
        freelancer=offer.freelancer,
        amount_cents=offer.amount_cents,
        duration_days=offer.duration_days,
        status=status,
    )
    return project


def test_my_projects_lists_state_offers_and_contract(client):
    owner = client_user()
    waiting = post_project(owner, title="مشروع في انتظار المراجعة")
    open_one = open_project(owner, title="مشروع مفتوح للعروض")
    add_offers(open_one, 2)
    hiring = open_project(owner, title="مشروع وظّف مستقلاً")
    hire(place_offer(hiring, freelancer_user("ريم المستقلة")))
    ProjectFactory(title="مشروع لشخص آخر")
    client.force_login(owner)
    client.cookies["django_language"] = "en"

    response = client.get("/dashboard/projects/")

    page = html.unescape(response.content.decode())
    assert [project.pk for project in response.context["page"]] == ids(hiring, open_one, waiting)
    assert "Waiting for review" in page
    assert "ريم المستقلة · Waiting for funding" in page
    assert "<td>2</td>" in page
    assert "مشروع لشخص آخر" not in page


def test_a_declined_contract_is_not_shown_as_the_projects_contract(client):
    owner = client_user()
    project_with_contract(owner, status=Contract.Status.DECLINED)
    client.force_login(owner)

    response = client.get("/dashboard/projects/")

    assert response.context["page"][0].live_contracts == []


def test_my_offers_lists_status_project_and_quota_used(client):
    freelancer = freelancer_user()
    hired_project = open_project(title="مشروع وظّفني صاحبه")
    hire(place_offer(hired_project, freelancer, amount_cents=31_500))
    waiting_project = open_project(title="مشروع ما زال مفتوحاً")
    place_offer(waiting_project, freelancer, amount_cents=4_000)
    place_offer(open_project(title="عرض لمستقل آخر"))
    client.force_login(freelancer)
    client.cookies["django_language"] = "en"

    response = client.get("/dashboard/offers/")

    page = html.unescape(response.content.decode())
    assert len(response.context["page"]) == 2
    assert "مشروع وظّفني صاحبه" in page and "مشروع ما زال مفتوحاً" in page
    assert "عرض لمستقل آخر" not in page
    assert "$315.00" in page and "$40.00" in page
    assert "Hired" in page and "Submitted" in page
    assert "You have 13 offers left this month." in page
    assert "(15 a month)" in page
    assert f'href="/contracts/{Contract.objects.get().pk}/"' in page


def test_my_offers_shows_an_offer_given_back_to_the_quota(client):
    freelancer = freelancer_user()
    project = open_project()
    place_offer(project, freelancer)
    services.close_project(owner=project.owner, project=project)
    client.force_login(freelancer)
    client.cookies["django_language"] = "en"

    page = html.unescape(client.get("/dashboard/offers/").content.decode())

    assert "given back to your quota" in page
    assert "You have 15 offers left this month." in page


def test_my_projects_costs_the_same_with_5_and_20_projects(client, django_assert_num_queries):
    owner = client_user()
    for _number in range(5):
        project_with_contract(owner)
    client.force_login(owner)
    with_five = queries_for(client, "/dashboard/projects/")
    for _number in range(15):
        project_with_contract(owner)
    ProjectFactory.create_batch(3, owner=owner)
    client.get("/dashboard/projects/")
    clear_caches()

    with django_assert_num_queries(with_five):
        response = client.get("/dashboard/projects/")

    assert len(response.context["page"]) == 20


def test_my_offers_costs_the_same_with_5_and_20_offers(client, django_assert_num_queries):
    freelancer = freelancer_user()
    owner = client_user()

    def add(count: int) -> None:
        """Half hired (with a contract to show), half waiting on an open project."""
        for number in range(count):
            if number % 2:
                project_with_contract(owner, freelancer=freelancer)
            else:
                OfferFactory(project=ProjectFactory(owner=owner), freelancer=freelancer)

    add(5)
    client.force_login(freelancer)
    with_five = queries_for(client, "/dashboard/offers/")
    add(15)
    client.get("/dashboard/offers/")
    clear_caches()

    with django_assert_num_queries(with_five):
        response = client.get("/dashboard/offers/")

    assert len(response.context["page"]) == 20
