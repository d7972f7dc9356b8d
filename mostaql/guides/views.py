from django.http import Http404
from django.shortcuts import render

from mostaql.guides import selectors
from mostaql.guides.models import Article
from mostaql.guides.rendering import render_markdown
from mostaql.guides.structured_data import article_data


def index(request):
    return render(request, "guides/index.html", {"tracks": selectors.tracks_with_articles(request.user)})


def article(request, slug: str):
    """An article; a draft is a 404 to everyone but staff, who see it marked as a draft (not indexed)."""
    try:
        page = selectors.article_for_page(slug=slug, user=request.user)
    except Article.DoesNotExist:
        raise Http404 from None
    rendered = render_markdown(page.article.shown_body)
    if not page.article.is_published:
        request.robots = "noindex, nofollow"
    article = page.article
    structured_data = article_data(
        article,
        headline=article.shown_title,
        description=article.shown_summary,
        language=article.shown_language,
    )
    return render(
        request,
        "guides/article.html",
        {"page": page, "article": article, "rendered": rendered, "structured_data": structured_data},
    )
