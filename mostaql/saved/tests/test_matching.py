"""Matching is exact against the list: what an alert sends is what the saved list shows, and each
new project is matched once, sent once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mostaql.catalog.models import Category
from mostaql.projects import selectors as project_selectors
from mostaql.projects import services as project_services
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import freelancer_user, moderator, skills
from mostaql.reports import services as report_services
from mostaql.saved import alerts, matching, tasks
from mostaql.saved.lists import PROJECTS
from mostaql.saved.models import MatchedItem, PendingAlert, SavedSearch
from mostaql.saved.tests.support import logo_project, saved_search, sent_to, shop_project

pytestmark = pytest.mark.django_db
F = SavedSearch.Frequency


def found_by(search: SavedSearch) -> set[int]:
    """What the runs found for a search's owner (each search here has an owner of its own)."""
    rows = PendingAlert.objects.filter(user=search.user)
    return {pk for row in rows for pk in row.object_ids}


def _batch() -> list[Project]:
    design = Category.objects.get(slug="design")
    return [
        logo_project(),
        logo_project(title="شعارات لمطعم شعبي", budget="25-50"),
        shop_project(),
        shop_project(title="تطوير متجر بووردبريس", skills=skills("wordpress")),
        logo_project(title="هوية بصرية كاملة لشركة ناشئة", category=design, skills=skills("brand-identity")),
        shop_project(
            title="تطبيق جوال لمتجر ملابس", skills=skills("flutter", "mobile-apps"), budget="500-1000"
        ),
    ]


SEARCHES = [
    {"query": ""},
    {"query": "شعار"},
    {"query": "الشعارات"},  # a plural with the article: the stem finds «شعار»
    {"query": "متجر"},
    {"query": "متاجر الكترونيه"},  # broken plural, no hamza, ة as ه
    {"query": "جانغو"},
    {"query": "شعار", "category": "design"},
    {"query": "", "skills": ["logo-design"]},
    {"query": "", "skills": ["logo-design", "brand-identity"]},
    {"query": "متجر", "budget": "250-500"},
    {"query": "", "category": "programming", "posted": "day"},
    {"query": "تصميم شعار مطعم"},
    {"query": "بايثون"},  # a skill's name: the skills are in the indexed text
    {"query": "ترجمة قانونية"},  # nothing in the batch holds it
    {"query": "هويه", "category": "design", "skills": ["brand-identity"]},
]


def test_what_an_alert_finds_is_what_the_saved_list_shows():
    # Given projects that were public before, and searches of every shape
    older = [logo_project(title="شعار قديم لمتجر"), shop_project(title="متجر قديم بجانغو")]
    searches = [saved_search(**fields) for fields in SEARCHES]
    MatchedItem.objects.bulk_create(
        [
            MatchedItem(list_name="projects", object_id=project.pk, matched_at=timezone.now())
            for project in older
        ]
    )
    # When a batch is published and matched
    batch = _batch()
    ids = [project.pk for project in batch]
    run = matching.match_new_items(list_name="projects", ids=ids)
    # Then each search found exactly the batch's rows that its list shows
    assert run.items == len(batch)
    for search in searches:
        found = found_by(search)
        listed = set(
            PROJECTS.results(query=search.query, **search.filters)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        assert found == listed, (search.query, search.filters)
    # and the shapes were tested for real: some find several, some none
    sizes = [len(found_by(search)) for search in searches]
    assert max(sizes) == len(batch) and min(sizes) == 0 and len(set(sizes)) > 3


def test_a_typo_in_a_saved_search_finds_what_the_list_finds():
    search = saved_search(query="برمجه متجر الكتروني بجانجو")
    project = shop_project()
    matching.match_new_items(list_name="projects", ids=[project.pk])
    listed = list(project_selectors.open_projects(query=search.query, sort="newest").filter(pk=project.pk))
    assert listed == [project]
    assert found_by(search) == {project.pk}


def test_hidden_pending_and_unknown_projects_never_reach_an_alert():
    search = saved_search(query="شعار")
    hidden = logo_project()
    report_services.hide_item(staff=moderator(name="مشرفة"), item=hidden)
    pending = Project.objects.create(
        owner=hidden.owner,
        title="شعار ينتظر المراجعة",
        description="x" * 60,
        category=hidden.category,
        budget="25-50",
        duration_days=3,
        search_stems="شعار",
    )
    run = matching.match_new_items(list_name="projects", ids=[hidden.pk, pending.pk, 10**9])
    assert run.items == 0
    assert found_by(search) == set()
    assert mail.outbox == []


def test_matching_twice_and_sweeping_twice_send_each_alert_once(django_capture_on_commit_callbacks):
    # Given two instant searches of one person that both find the new project
    person = freelancer_user(name="سارة")
    saved_search(person, query="شعار")
    saved_search(person, query="", skills=["logo-design"])
    mail.outbox.clear()
    # When the project is approved (the hook sends it to the task after commit)
    with django_capture_on_commit_callbacks(execute=True):
        project = logo_project()
    # Then one e-mail tells of it, linking to it
    alerts_sent = sent_to(person)
    assert len(alerts_sent) == 1
    assert project.get_absolute_url() in alerts_sent[0].body
    # And running the task and the sweep again sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        tasks.match_new_items("projects", [project.pk])
        tasks.sweep_saved_searches()
        tasks.sweep_saved_searches()
    assert len(sent_to(person)) == 1
    (row,) = PendingAlert.objects.filter(user=person)
    assert row.object_ids == [project.pk] and len(row.search_ids) == 2 and row.sent_at


def test_a_daily_digest_is_one_email_a_day_whatever_the_matches(django_capture_on_commit_callbacks, settings):
    settings.SAVED_DIGEST_HOUR_UTC = 6
    person = freelancer_user(name="عمر")
    saved_search(person, query="شعار", frequency=F.DAILY)
    saved_search(person, query="متجر", frequency=F.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        projects = [logo_project(), shop_project(), logo_project(title="شعار لمكتبة")]
    assert sent_to(person) == []  # nothing at once: the digest waits for its hour
    morning = timezone.now().replace(hour=7, minute=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts.send_daily_digests(now=morning.replace(hour=5)) == 0
        assert alerts.send_daily_digests(now=morning) == 3
        assert alerts.send_daily_digests(now=morning + datetime.timedelta(hours=3)) == 0
    digests = sent_to(person)
    assert len(digests) == 1
    for project in projects:
        assert project.get_absolute_url() in digests[0].body
    # A project published later in the day waits for tomorrow's digest, which sends it once.
    with django_capture_on_commit_callbacks(execute=True):
        later = shop_project(title="متجر للكتب المستعملة")
        alerts.send_daily_digests(now=morning + datetime.timedelta(hours=5))
    assert len(sent_to(person)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        alerts.send_daily_digests(now=morning + datetime.timedelta(days=1))
        alerts.send_daily_digests(now=morning + datetime.timedelta(days=1, hours=1))
    assert len(sent_to(person)) == 2
    assert later.get_absolute_url() in sent_to(person)[1].body


def test_a_project_closed_before_the_digest_is_not_sent(django_capture_on_commit_callbacks):
    person = freelancer_user(name="ليلى")
    saved_search(person, query="شعار", frequency=F.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        project = logo_project()
        project_services.close_project(owner=project.owner, project=project)
        alerts.send_daily_digests(now=timezone.now().replace(hour=23))
    assert sent_to(person) == []
    assert not PendingAlert.objects.filter(user=person, sent_at__isnull=True).exists()


def test_searches_with_alerts_off_are_not_matched(django_capture_on_commit_callbacks):
    person = freelancer_user(name="نور")
    saved_search(person, query="شعار", frequency=F.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        logo_project()
    assert not PendingAlert.objects.exists()
    assert sent_to(person) == []


def test_the_sweep_matches_a_project_whose_task_was_lost(django_capture_on_commit_callbacks):
    person = freelancer_user(name="ريم")
    saved_search(person, query="شعار")
    project = logo_project()  # no on-commit here: the task never ran
    assert not MatchedItem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.sweep_saved_searches()
    assert result["matched"] == 1
    assert len(sent_to(person)) == 1 and project.get_absolute_url() in sent_to(person)[0].body


def test_a_private_project_never_reaches_an_alert_or_a_feed(client, django_capture_on_commit_callbacks):
    search = saved_search(query="شعار")
    with django_capture_on_commit_callbacks(execute=True):
        private = logo_project(is_private=True)

    assert found_by(search) == set()
    assert sent_to(search.user) == []
    feed = client.get("/projects/feed/?q=شعار").content.decode()
    assert private.get_absolute_url() not in feed
