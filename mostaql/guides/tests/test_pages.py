"""The guides as a visitor reads them: tracks, an article with its contents, neighbours and related ones."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from mostaql.accounts.tests.factories import UserFactory
from mostaql.guides.models import Article, Track

pytestmark = pytest.mark.django_db

STARTER_SLUGS = {
    "how-mostaql-works", "write-a-profile-that-wins", "write-a-winning-offer", "use-your-monthly-offers-well",
    "build-your-reputation", "a-portfolio-that-sells", "agree-the-scope", "price-your-work",
    "how-escrow-protects-you", "withdraw-your-earnings",
}  # fmt: skip


def _draft(**fields) -> Article:
    track = Track.objects.get(slug="pricing")
    return Article.objects.create(
        track=track, slug="draft-guide", title="مسودة عن التسعير", summary="لم تُنشر بعد", body="## قسم\n\nنص",
        position=99, **fields
    )  # fmt: skip


def test_the_starter_guides_ship_with_the_database_in_five_tracks():
    assert set(Track.objects.values_list("slug", flat=True)) == {
        "getting-started", "winning-projects", "selling-services", "pricing", "getting-paid",
    }  # fmt: skip
    assert set(Article.objects.filter(is_published=True).values_list("slug", flat=True)) == STARTER_SLUGS


def test_the_index_lists_every_track_and_its_published_articles(client):
    _draft()
    page = client.get(reverse("guides:index")).content.decode()

    for track in Track.objects.all():
        assert track.title in page
    for article in Article.objects.filter(is_published=True):
        assert article.get_absolute_url() in page
    assert "مسودة عن التسعير" not in page


@pytest.mark.parametrize("slug", sorted(STARTER_SLUGS))
def test_every_starter_guide_reads_with_figures_from_settings_and_no_placeholder_left(client, settings, slug):
    settings.COMMISSION_PERCENT = 17
    settings.OFFERS_PER_MONTH = 12
    response = client.get(reverse("guides:article", args=[slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert not re.search(r"\{[a-z_]+\}", page)
    if "{commission_percent}" in Article.objects.get(slug=slug).body:
        assert "17%" in page and "20%" not in page


def test_an_article_shows_reading_time_table_of_contents_neighbours_and_related(client):
    response = client.get(reverse("guides:article", args=["write-a-winning-offer"]))
    page = response.content.decode()

    assert re.search(r"<span>قراءة (دقيقتين|دقيقة واحدة|\d+ (دقائق|دقيقة))</span>", page)  # reading time
    assert 'href="#اقرأ-المشروع-مرتين"' in page and 'id="اقرأ-المشروع-مرتين"' in page
    # Next in its track ("winning projects"); first of the track, so no previous one.
    assert 'rel="next" href="/guides/use-your-monthly-offers-well/"' in page
    assert 'rel="prev"' not in page
    # Related by staff choice.
    assert "/guides/price-your-work/" in page and "/guides/a-portfolio-that-sells/" in page


def test_a_draft_is_hidden_from_visitors_and_members(client):
    _draft()
    url = reverse("guides:article", args=["draft-guide"])

    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_staff_read_a_draft_marked_as_such_and_not_indexed(client):
    _draft()
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("guides:article", args=["draft-guide"]))

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_draft_is_never_a_neighbour_or_related_article_for_visitors(client):
    _draft()
    Article.objects.filter(slug="price-your-work").update(position=98)
    page = client.get(reverse("guides:article", args=["price-your-work"])).content.decode()

    assert "draft-guide" not in page


def test_english_visitors_read_the_english_text_where_one_is_written(client):
    article = Article.objects.get(slug="price-your-work")
    Article.objects.filter(pk=article.pk).update(
        body_en="## Know your hourly cost\n\nMostaql keeps {commission_percent}.",
        summary_en="Price it right.",
    )
    client.cookies["django_language"] = "en"

    page = client.get(article.get_absolute_url()).content.decode()

    assert '<article class="guide-article" lang="en" dir="ltr">' in page
    assert "How to price your work" in page and "Mostaql keeps 20%." in page


def test_an_article_carries_article_structured_data_and_sharing_tags(client, settings):
    settings.SITE_URL = "https://mostaql.example"
    page = client.get(reverse("guides:article", args=["how-escrow-protects-you"])).content.decode()

    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    assert data["@type"] == "Article" and data["headline"] == "الضمان: كيف يحمي مالك وعملك"
    assert '<link rel="canonical" href="https://mostaql.example/guides/how-escrow-protects-you/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:image" content="https://mostaql.example/static/img/share.png">' in page


def test_a_published_article_is_dated_when_published_in_the_admin(admin_client):
    track = Track.objects.first()
    fields = {"track": track.pk, "slug": "new-guide", "position": 5, "is_published": "on"}
    texts = {"title": "دليل جديد", "summary": "ملخص", "body": "## قسم\n\nنص <script>x()</script>"}
    response = admin_client.post(reverse("admin:guides_article_add"), {**fields, **texts})

    assert response.status_code == 302
    article = Article.objects.get(slug="new-guide")
    assert article.published_at is not None and article.published_at <= timezone.now()


def _add_articles(count: int) -> None:
    track = Track.objects.get(slug="pricing")
    for number in range(count):
        Article.objects.create(
            track=track, slug=f"extra-{track.pk}-{number}-{Article.objects.count()}", title=f"مقال {number}",
            summary="ملخص", body="## قسم\n\nنص", position=50 + number, is_published=True,
        )  # fmt: skip


def test_the_guides_index_and_an_article_cost_the_same_queries_with_more_articles(
    client, django_assert_num_queries
):
    _add_articles(2)
    client.get(reverse("guides:index"))  # warm up the session and the catalogue's caches
    with django_assert_num_queries(2) as index_few:
        client.get(reverse("guides:index"))
    with django_assert_num_queries(3) as article_few:
        client.get(reverse("guides:article", args=["price-your-work"]))

    _add_articles(20)

    with django_assert_num_queries(len(index_few.captured_queries)):
        client.get(reverse("guides:index"))
    with django_assert_num_queries(len(article_few.captured_queries)):
        client.get(reverse("guides:article", args=["price-your-work"]))
