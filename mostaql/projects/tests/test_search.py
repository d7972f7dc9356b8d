"""Arabic search on the project list: the same cases on SQLite and PostgreSQL, the order of the
results, highlighting, suggestions, bad input, and the PostgreSQL indexes.

The relevance set (test_relevance.py) measures recall over 160 queries; these tests pin behaviours.
Run against PostgreSQL with:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/mostaql_ci .venv/bin/pytest mostaql/projects --create-db
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.utils import timezone

from mostaql.core.search.engine import expand, parse, search
from mostaql.core.search.index import ensure_search_indexes, fts_table
from mostaql.projects import selectors, services
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import (
    OfferFactory,
    ProjectFactory,
    client_user,
    post_project,
    project_fields,
    skills,
)

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own indexes")
needs_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")

NEUTRAL_DESCRIPTION = (
    "نص وصف محايد للمشروع لا يحتوي على أي كلمة من كلمات البحث المستعملة في هذه الاختبارات أبداً."
)


@pytest.fixture(autouse=True)
def _projects_open_at_once(settings):
    settings.PROJECT_AUTO_APPROVE = True


@pytest.fixture
def owner():
    return client_user("صاحب المشاريع")


def posted(
    owner, title: str, *, description: str = NEUTRAL_DESCRIPTION, skill_slugs=("proofreading",)
) -> Project:
    """A project posted through the service, so its search columns are written as in the product."""
    return post_project(owner, title=title, description=description, skills=skills(*skill_slugs))


def found(query: str) -> set[int]:
    return {project.pk for project in selectors.open_projects(query=query, sort="newest")}


def ranked(query: str) -> list[int]:
    return [project.pk for project in selectors.open_projects(query=query)[:25]]


def page(client, query: str, **params) -> str:
    response = client.get("/projects/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def listed(client, query: str, **params) -> list[int]:
    text = html.unescape(page(client, query, **params))
    return [int(pk) for pk in re.findall(r'class="card-title"[^>]*>\s*<a href="/projects/(\d+)/"', text)]


@pytest.fixture
def catalogue(owner):
    """A few projects whose words the cases below look for, and one that nothing should find."""
    return {
        "programming": posted(owner, "برمجة موقع لشركة عقارية"),
        "logos": posted(owner, "مطلوب تصميم شعارات لمتجر"),
        "marketing": posted(owner, "حملة تسويق إلكتروني لمطعم"),
        "accounting": posted(
            owner,
            "مساعدة في إعداد ملفات الشركة",
            description="نحتاج محاسبة دقيقة للفواتير الشهرية مع تقارير ضريبية واضحة ومنظمة لكل فرع.",
        ),
        "flutter": posted(owner, "تطبيق لحجز المواعيد الطبية", skill_slugs=("flutter",)),
        "django": posted(owner, "واجهة Django REST لتطبيق توصيل"),
        "unrelated": posted(owner, "ترجمة كتيب سياحي قصير"),
    }


# --- What a query finds -----------------------------------------------------------------------------


def test_the_search_columns_hold_the_titles_words_and_every_stem(catalogue):
    project = Project.objects.get(pk=catalogue["programming"].pk)

    assert project.search_title == "برمجه موقع لشركه عقاريه"
    assert project.search_title_stems.split() == ["برمج", "موقع", "لشرك", "شرك", "عقار"]
    assert {"تدقيق", "لغو", "proofreading"} <= set(project.search_stems.split())  # the skill's names


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("برمجه", "programming"),  # taa marbuta typed as haa
        ("بَرْمَجَة", "programming"),  # diacritics
        ("بـرمـجـة", "programming"),  # tatweel
        ("البرمجيات", "programming"),  # the article and a plural suffix
        ("عقارية لشركة", "programming"),  # «لشركة»: the joined preposition comes off
        ("مواقع", "programming"),  # a broken plural
        ("تصميم شعار", "logos"),  # «شعار» finds «شعارات»
        ("الشعار", "logos"),
        ("محاسبة", "accounting"),  # a word only in the description
        ("فلاتر", "flutter"),  # a skill's Arabic name …
        ("Flutter", "flutter"),  # … or its English one
        ("جانغو", "django"),  # the Arabic spelling of a Latin name
        ("DJANGO rest", "django"),  # Latin text, whatever its case
        ("تسويقق", "marketing"),  # a one-letter typo
    ],
)
def test_a_search_finds_the_project_it_should_and_only_it(catalogue, query, expected):
    assert found(query) == {catalogue[expected].pk}


@pytest.mark.parametrize("query", ["كيمياء", "زراعة", "xylophone", "رمجه", "طاقة"])
def test_a_word_that_is_in_no_project_finds_nothing(catalogue, query):
    # «رمجه» is no word and «طاقة» is not «بطاقة»: a first letter is taken off only as a preposition.
    assert found(query) == set()


@pytest.mark.parametrize("query", ["", "   ", "\u200f", "!!!", "ًٌٍَُِّْ"])
def test_a_query_without_words_filters_nothing(catalogue, query):
    assert found(query) == {project.pk for project in catalogue.values()}


def test_a_bare_word_finds_it_with_a_joined_preposition_and_with_the_article(catalogue):
    # «لشركة» in one title, «الشركة» in the other.
    assert found("شركة") == {catalogue["programming"].pk, catalogue["accounting"].pk}


def test_every_word_of_the_query_must_match(catalogue):
    assert found("برمجة شعار") == set()


def test_a_short_word_is_not_taken_for_a_typo(owner):
    posted(owner, "تصميم شعار لمقهى صغير")

    assert found("شعاع") == set()  # four letters: one letter away, but no typo is forgiven below five


def test_an_edited_title_is_found_by_its_new_words(owner):
    project = posted(owner, "برمجة موقع لشركة عقارية")

    services.edit_project(
        owner=owner,
        project=project,
        **project_fields(title="تصوير منتجات متجر عطور", description=NEUTRAL_DESCRIPTION),
    )

    assert found("تصوير") == {project.pk}
    assert found("برمجة") == set()
    assert found("تصويير") == {project.pk}  # the new words are in the vocabulary of typos too


def test_the_list_page_and_the_api_search_alike(client, catalogue):
    assert listed(client, "برمجه") == [catalogue["programming"].pk]
    assert listed(client, "كيمياء") == []
    response = client.get("/api/v1/projects/", {"q": "الشعارات"})

    assert [item["id"] for item in response.json()["items"]] == [catalogue["logos"].pk]


def test_a_search_on_the_list_shows_open_projects_only(client, owner):
    closed = posted(owner, "برمجة تطبيق مغلق")
    services.close_project(owner=owner, project=closed)
    open_one = posted(owner, "برمجة تطبيق مفتوح")

    assert listed(client, "برمجة") == [open_one.pk]


# --- The order of the results -------------------------------------------------------------------


def aged(project: Project, days: int) -> Project:
    Project.objects.filter(pk=project.pk).update(published_at=timezone.now() - datetime.timedelta(days=days))
    return project


def test_a_title_match_ranks_above_a_newer_description_match(owner):
    in_title = aged(posted(owner, "ترجمة عقود تجارية"), days=30)
    in_description = posted(owner, "مشروع قصير للشركة", description=f"{NEUTRAL_DESCRIPTION} ترجمة عقود.")

    assert ranked("ترجمة عقود") == [in_title.pk, in_description.pk]


def test_the_word_as_typed_ranks_above_its_other_forms(owner):
    as_typed = aged(posted(owner, "تصميم شعارات لمتجر"), days=30)
    singular = posted(owner, "تصميم شعار لمتجر")

    assert ranked("شعارات") == [as_typed.pk, singular.pk]
    assert ranked("شعار") == [singular.pk, as_typed.pk]


def test_a_title_with_every_word_ranks_above_one_with_some(owner):
    every_word = aged(posted(owner, "تصميم شعار لمقهى"), days=30)
    some = posted(owner, "تصميم هوية بصرية", description=f"{NEUTRAL_DESCRIPTION} مع شعار.")

    assert ranked("تصميم شعار") == [every_word.pk, some.pk]


def test_within_a_level_the_newest_comes_first(owner):
    older = aged(posted(owner, "تصميم شعار لمقهى"), days=30)
    newer = posted(owner, "تصميم شعار لمطعم")

    assert ranked("تصميم شعار") == [newer.pk, older.pk]


def test_the_most_relevant_is_the_default_with_a_query_and_the_newest_one_click_away(client, owner):
    in_title = aged(posted(owner, "ترجمة عقود تجارية"), days=30)
    in_description = posted(owner, "مشروع قصير للشركة", description=f"{NEUTRAL_DESCRIPTION} ترجمة عقود.")

    text = html.unescape(page(client, "ترجمة عقود"))
    newest_link = re.search(r'<a href="(\?[^"]*sort=newest[^"]*)"', text).group(1)

    assert listed(client, "ترجمة عقود") == [in_title.pk, in_description.pk]
    assert client.get("/projects/" + newest_link).status_code == 200
    assert listed(client, "ترجمة عقود", sort="newest") == [in_description.pk, in_title.pk]


def test_without_a_query_the_list_is_newest_first_even_when_relevance_is_asked(client, owner):
    older = aged(posted(owner, "ترجمة عقود تجارية"), days=30)
    newer = posted(owner, "تصميم شعار لمقهى")

    assert listed(client, "", sort="relevance") == [newer.pk, older.pk]


def test_a_ranked_search_pages_like_the_list(client, owner, settings):
    settings.PROJECTS_PER_PAGE = 3
    titles = [posted(owner, f"تصميم شعار رقم {number}") for number in range(4)]
    description_only = posted(owner, "مشروع قصير للشركة", description=f"{NEUTRAL_DESCRIPTION} تصميم شعار.")

    first, second = listed(client, "تصميم شعار"), listed(client, "تصميم شعار", page=2)

    assert first == [titles[3].pk, titles[2].pk, titles[1].pk]
    assert second == [titles[0].pk, description_only.pk]


# --- What a result shows ------------------------------------------------------------------------


def test_the_found_words_are_marked_in_the_title_and_the_excerpt(client, owner):
    posted(
        owner,
        "تصميم شعار لمتجر عطور",
        description=f"{NEUTRAL_DESCRIPTION} {NEUTRAL_DESCRIPTION} نريد شعارات بسيطة بألوان الذهب.",
    )

    text = page(client, "الشعارات")

    assert "تصميم <mark>شعار</mark> لمتجر عطور" in text
    assert "نريد <mark>شعارات</mark> بسيطة" in text  # the excerpt reaches the match, far into the text


def test_markup_in_a_title_is_shown_as_text_around_the_marks(client, owner):
    posted(
        owner, "<b>تصميم</b> شعار <script>alert(1)</script>", description=f"{NEUTRAL_DESCRIPTION} <i>x</i>"
    )

    text = page(client, "تصميم")

    assert "&lt;b&gt;<mark>تصميم</mark>&lt;/b&gt; شعار &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert" not in text and "&lt;i&gt;x&lt;/i&gt;" in text


# --- Suggestions when nothing is found ----------------------------------------------------------


def test_an_empty_search_suggests_a_spelling_that_finds_projects(client, owner):
    project = posted(owner, "ترجمة عقود لشركة محاماة")

    text = html.unescape(page(client, "ترجمة عقوط"))  # «عقوط»: four letters, too short for a typo
    suggestion = re.search(r'<p class="suggestion">[^<]*<a href="\?([^"]+)"[^>]*>([^<]+)</a>', text)

    assert suggestion.group(2) == "ترجمه عقود"
    assert "q=" in suggestion.group(1)
    assert listed(client, suggestion.group(2)) == [project.pk]


def test_an_empty_search_suggests_the_nearest_skills(client, owner):
    posted(owner, "ترجمة عقود لشركة محاماة")

    text = html.unescape(page(client, "تسويق عقاري"))

    assert '<a href="?skills=digital-marketing">' in text


def test_no_suggestion_is_offered_when_results_are_found(client, owner):
    posted(owner, "ترجمة عقود لشركة محاماة")

    assert 'class="suggestion"' not in page(client, "ترجمة")


# --- Bad input ------------------------------------------------------------------------------------

BAD_QUERIES = [
    "ش" * 1000,
    "برمجة " * 200,
    "!!! ??? ... ،،، ؟؟؟",
    "ًٌٍَُِّْ",
    "' | & ! :*",
    "شعار:* & !ترجمة | 'x'",
    "<-> (تصميم",
    "a''b \\ %_",
    '"NEAR" OR AND NOT * ^ {col}:',
    "Djangoبرمجة mixed نص",
    "تصميم 😀🎨 شعار",
    "برمجة\x00شعار",
    "\x00",
    "SELECT * FROM projects_project; --",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_input_gives_a_normal_page_never_an_error(client, catalogue, query):
    response = client.get("/projects/", {"q": query})

    if "\x00" in query:  # a NUL byte is refused at the door (core.middleware), before any search
        assert response.status_code == 400
        return
    assert response.status_code == 200
    assert (
        'class="card-title"' in response.content.decode() or 'class="empty card"' in response.content.decode()
    )


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_input_to_the_api_is_a_list_or_a_validation_error(client, catalogue, query):
    response = client.get("/api/v1/projects/", {"q": query})

    assert response.status_code in (200, 422)
    assert "items" in response.json() if response.status_code == 200 else response.json()["code"]


@pytest.mark.parametrize("query", ["' | & ! :*", "شعار:* & !", "(تصميم", "\\", '"*" ( ^ :'])
def test_no_query_text_is_read_as_search_syntax(catalogue, query):
    assert found(f"{query} شعارات") == {catalogue["logos"].pk}


# --- The indexes ------------------------------------------------------------------------------------


@needs_sqlite
def test_the_fts_index_is_rebuilt_when_a_table_rebuild_dropped_its_triggers(owner):
    project = posted(owner, "برمجة موقع لشركة عقارية")
    table = Project._meta.db_table
    with connection.cursor() as cursor:
        for suffix in ("insert", "update", "delete"):
            cursor.execute(f'DROP TRIGGER "{fts_table(table)}_{suffix}"')
        cursor.execute(f'INSERT INTO "{fts_table(table)}"("{fts_table(table)}") VALUES (\'delete-all\')')
    assert found("برمجة") == set()

    ensure_search_indexes(using="default")  # what every migrate runs

    assert found("برمجة") == {project.pk}


@needs_postgresql
def test_the_search_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'projects_project'")
        indexes = dict(cursor.fetchall())
        cursor.execute(
            "SELECT is_generated, generation_expression FROM information_schema.columns "
            "WHERE table_name = 'projects_project' AND column_name = 'search_vector'"
        )
        generated, expression = cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'core_searchword_trigrams'")
        (vocabulary,) = cursor.fetchone()

    assert generated == "ALWAYS" and "to_tsvector('simple'::regconfig" in expression
    assert "gin (search_vector)" in indexes["projects_project_search_vector"]
    assert "project_search_title_trgm" not in indexes  # typos are looked up in the vocabulary now
    assert "gin_trgm_ops" in vocabulary


@needs_postgresql
def test_the_stored_vector_follows_an_edit_of_the_stems(owner):
    project = posted(owner, "برمجة موقع لشركة عقارية")
    Project.objects.filter(pk=project.pk).update(search_stems="ترجم كتيب")

    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM projects_project WHERE id = %s", [project.pk])
        (vector,) = cursor.fetchone()
    assert vector == "'ترجم' 'كتيب'"


def test_a_search_can_be_a_subquery(catalogue):
    # The index is named on the query's own table, whatever alias the subquery gives it.
    wanted = OfferFactory(project=catalogue["programming"])
    OfferFactory(project=catalogue["logos"])
    searched = selectors.open_projects(query="برمجة", sort="newest")

    assert list(Offer.objects.filter(project__in=searched.values("pk"))) == [wanted]


def explain(query: str) -> str:
    """The plan PostgreSQL picks for a search when a sequential scan is made to look expensive."""
    # Without the status filter, whose own index would win on a table this small.
    sql, params = search(Project.objects.all(), expand(parse(query))).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


@needs_postgresql
def test_the_search_query_is_served_by_the_search_index(catalogue):
    ProjectFactory.create_batch(5)

    assert "projects_project_search_vector" in explain("تسويق")
