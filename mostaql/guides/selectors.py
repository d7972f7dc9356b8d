"""Reads behind the guides' pages: what a visitor may see (published) and what staff may (drafts too)."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from mostaql.guides.models import Article, Track

RELATED_COUNT = 3


def visible_articles(user) -> QuerySet[Article]:
    articles = Article.objects.all()
    if not (user.is_authenticated and user.is_staff):
        articles = articles.filter(is_published=True)
    return articles


def published_articles() -> QuerySet[Article]:
    """What the public sees and the sitemap lists."""
    return Article.objects.filter(is_published=True).select_related("track")


def tracks_with_articles(user) -> list[Track]:
    """Every track with the articles this person may read, in order; tracks left empty are dropped."""
    articles = visible_articles(user).only(
        "id", "slug", "title", "title_en", "summary", "summary_en", "body_en", "track_id", "position",
        "is_published",
    )  # fmt: skip
    tracks = Track.objects.prefetch_related(Prefetch("articles", queryset=articles, to_attr="shown_articles"))
    return [track for track in tracks if track.shown_articles]


@dataclass
class ArticlePage:
    article: Article
    previous: Article | None
    next: Article | None
    related: list[Article]


def article_for_page(*, slug: str, user) -> ArticlePage:
    """The article with its neighbours in the track and up to three related ones. Raises DoesNotExist."""
    article = visible_articles(user).select_related("track").get(slug=slug)
    in_track = list(
        visible_articles(user)
        .filter(track_id=article.track_id)
        .only("id", "slug", "title", "title_en", "body_en")
    )
    index = next(i for i, item in enumerate(in_track) if item.pk == article.pk)
    previous = in_track[index - 1] if index > 0 else None
    following = in_track[index + 1] if index + 1 < len(in_track) else None
    # Chosen by staff first; then the rest of the track, so every article offers somewhere to go next.
    related = list(visible_articles(user).filter(related=article).select_related("track")[:RELATED_COUNT])
    if len(related) < RELATED_COUNT:
        taken = {article.pk, *(item.pk for item in related)}
        related += [item for item in in_track if item.pk not in taken][: RELATED_COUNT - len(related)]
    return ArticlePage(article=article, previous=previous, next=following, related=related)
