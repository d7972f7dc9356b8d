"""Arabic search over projects: the same cases on SQLite and PostgreSQL, and the PostgreSQL extras.

Run against PostgreSQL with:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/mostaql_ci .venv/bin/pytest mostaql/projects --create-db
"""

import html
import importlib
import re

import pytest
from django.db import connection

from mostaql.projects.models import Offer, Project
from mostaql.projects.search import ARTICLE_PATTERN, _prefix_query, _stem, search_projects
from mostaql.projects.tests.factories import OfferFactory, ProjectFactory, client_user, post_project, skills

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram matching and GIN indexes are PostgreSQL's"
)

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
    """A project posted through the service, so its search text is built as in the product."""
    return post_project(owner, title=title, description=description, skills=skills(*skill_slugs))


def found(query: str) -> set[int]:
    return set(search_projects(Project.objects.all(), query).values_list("pk", flat=True))


def listed(client, query: str) -> list[int]:
    response = client.get("/projects/", {"q": query})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    return [int(pk) for pk in re.findall(r'class="card-title"[^>]*>\s*<a href="/projects/(\d+)/"', page)]


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


def test_the_search_index_is_built_from_normalised_text(catalogue):
    project = Project.objects.get(pk=catalogue["programming"].pk)

    assert project.search_title == "برمجه موقع لشركه عقاريه"
    assert "تدقيق لغوي" in project.search_text  # the skill's Arabic name …
    assert "proofreading" in project.search_text  # … and its English one, folded to lower case


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("برمجه", "programming"),  # taa marbuta typed as haa
        ("برمجة", "programming"),
        ("بَرْمَجَة", "programming"),  # diacritics in the query
        ("بـرمـجـة", "programming"),  # tatweel in the query
        ("تصميم شعار", "logos"),  # «شعار» finds «شعارات»
        ("الشعار", "logos"),  # the definite article is not part of the word
        ("شعارات", "logos"),
        ("تسويق", "marketing"),
        ("محاسبة", "accounting"),  # a word only in the description
        ("فلاتر", "flutter"),  # a word only in a skill's Arabic name
        ("Flutter", "flutter"),  # … or its English name
        ("django", "django"),  # Latin text, whatever its case
        ("DJANGO rest", "django"),
    ],
)
def test_a_search_finds_the_project_it_should_and_only_it(catalogue, query, expected):
    assert found(query) == {catalogue[expected].pk}


@pytest.mark.parametrize("query", ["كيمياء", "زراعة", "xylophone"])
def test_a_word_that_is_in_no_project_finds_nothing(catalogue, query):
    assert found(query) == set()


@pytest.mark.parametrize("query", ["", "   ", "\u200f"])
def test_an_empty_query_filters_nothing(catalogue, query):
    assert found(query) == {project.pk for project in catalogue.values()}


def test_every_word_of_the_query_must_match(catalogue):
    assert found("برمجة شعار") == set()


def test_a_word_finds_its_longer_forms_even_where_other_projects_hold_the_word_itself(catalogue, owner):
    # With full-text alone, «شعار» matched only the stem «شعار»: the arabic stemmer leaves «شعارات» as
    # «شعارا», so a project with the bare word hid the «شعارات» one, and the trigram fallback never ran.
    exact = posted(owner, "تصميم شعار لمقهى صغير")

    assert found("تصميم شعار") == {exact.pk, catalogue["logos"].pk}


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("برمجة", "البرمجة"),
        ("البرمجة", "برمجة"),
        ("إلكتروني", "الإلكتروني"),  # «إل» folds to «ال» but is not the article
        ("الإلكتروني", "إلكتروني"),
        ("المتجر الإلكتروني", "متجر إلكتروني"),
        ("ترجمة", "الترجمة"),
        ("العربية", "عربية"),
        ("إعلان", "الإعلانات"),
        ("برمجة", "(البرمجة)"),  # punctuation around a word is no part of it
        ("البرمجة", "«برمجة»"),
        ("التصميم", "البرمجة/التصميم"),
        ("الفن", "عن الفن."),  # two letters after «ال»: it stays, on both sides
    ],
)
def test_a_word_finds_its_forms_with_and_without_the_article(owner, query, text):
    # PostgreSQL's arabic stemmer makes «رمج» of «برمجه» but «برمجه» of «البرمجه»: the article comes
    # off both the indexed text and the query before it runs. The words sit in the description, where
    # only the full-text match looks.
    project = posted(owner, "مشروع قصير", description=f"{NEUTRAL_DESCRIPTION} {text}")

    assert found(query) == {project.pk}


def test_short_words_are_matched_whole_and_longer_ones_as_prefixes():
    assert _prefix_query(["م", "ui", "برمجه", "الشعارات"]) == "'م' & 'ui' & 'برمجه':* & 'شعارات':*"


def test_the_migration_takes_the_article_off_with_the_same_pattern_as_the_query():
    migration = importlib.import_module("mostaql.projects.migrations.0004_stored_search_vector")

    assert ARTICLE_PATTERN in "".join(migration.CREATE)


def test_the_list_page_searches_too(client, catalogue):
    assert listed(client, "برمجه") == [catalogue["programming"].pk]
    assert listed(client, "تصميم شعار") == [catalogue["logos"].pk]
    assert listed(client, "كيمياء") == []


def test_a_search_on_the_list_shows_open_projects_only(client, owner):
    found_but_closed = ProjectFactory(title="برمجة تطبيق مغلق", status=Project.Status.CLOSED)
    found_but_closed.search_text = found_but_closed.search_title = "برمجه تطبيق مغلق"
    found_but_closed.save()
    open_one = posted(owner, "برمجة تطبيق مفتوح")

    assert listed(client, "برمجة") == [open_one.pk]


def test_an_edited_title_is_found_by_its_new_words(owner):
    from mostaql.projects import services
    from mostaql.projects.tests.factories import project_fields

    project = posted(owner, "برمجة موقع لشركة عقارية")

    services.edit_project(
        owner=owner,
        project=project,
        **project_fields(title="تصوير منتجات متجر عطور", description=NEUTRAL_DESCRIPTION),
    )

    assert found("تصوير") == {project.pk}
    assert found("برمجة") == set()


# --- PostgreSQL: trigram typos and the GIN indexes ------------------------------------------------


@needs_postgresql
@pytest.mark.parametrize(("query", "expected"), [("تسويقق", "marketing"), ("تصمييم شعارات", "logos")])
def test_a_typo_in_a_title_word_is_forgiven_by_trigram_matching(catalogue, query, expected):
    assert catalogue[expected].pk in found(query)
    assert catalogue["unrelated"].pk not in found(query)


@needs_postgresql
@pytest.mark.parametrize("query", ["'", "\\", "شعار:*", "!", "(تصميم", "& |", "' | 'ترجمة", "<->", "a''b"])
def test_no_query_text_is_read_as_search_syntax(catalogue, query):
    found(query)  # each word is quoted: nothing here may raise a syntax error

    assert found(f"{query} شعارات") <= {catalogue["logos"].pk}


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

    assert (generated, "to_tsvector('arabic'::regconfig" in expression) == ("ALWAYS", True)
    assert "search_text" in expression
    assert "gin (search_vector)" in indexes["project_search_vector"]
    assert "project_search_fts" not in indexes  # the expression index it replaced
    assert "gin_trgm_ops" in indexes["project_search_title_trgm"]


@needs_postgresql
@pytest.mark.parametrize("word", ["البرمجه", "الالكتروني", "الالم", "الف", "الاعلانات", "برمجه", "django"])
def test_the_index_and_the_query_take_the_article_off_alike(owner, word):
    project = posted(owner, "مشروع قصير")
    Project.objects.filter(pk=project.pk).update(search_text=word)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector = strip(to_tsvector('arabic', %s)) FROM projects_project WHERE id = %s",
            [_stem(word), project.pk],
        )
        assert cursor.fetchone() == (True,)


@needs_postgresql
def test_a_search_can_be_a_subquery(catalogue):
    # The stored vector is named on the query's own table, whatever alias the subquery gives it.
    wanted = OfferFactory(project=catalogue["programming"])
    OfferFactory(project=catalogue["logos"])
    offers = Offer.objects.filter(project__in=search_projects(Project.objects.filter(status="open"), "برمجة"))

    assert list(offers) == [wanted]


@needs_postgresql
def test_the_stored_vector_follows_an_edit_of_the_text(owner):
    project = posted(owner, "برمجة موقع لشركة عقارية")
    Project.objects.filter(pk=project.pk).update(search_text="ترجمه كتيب")

    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM projects_project WHERE id = %s", [project.pk])
        (vector,) = cursor.fetchone()
    assert vector == "'ترجم' 'كتيب'"


def explain(query: str) -> str:
    """The plan PostgreSQL picks for a search when a sequential scan is made to look expensive."""
    # Without the status filter, whose own index would win on a table this small.
    sql, params = search_projects(Project.objects.all(), query).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


@needs_postgresql
def test_the_search_query_is_served_by_the_search_indexes(catalogue):
    # The full-text match reads the stored vector through its GIN index; a word that it cannot find
    # goes to the trigram index instead.
    assert "project_search_vector" in explain("تسويق")
    assert "project_search_title_trgm" in explain("تسويقق")
