"""schema.org `Article` data for a guide's page."""

from django.conf import settings
from django.templatetags.static import static

from mostaql.guides.models import Article


def article_data(article: Article, *, headline: str, description: str, language: str) -> dict:
    url = settings.SITE_URL + article.get_absolute_url()
    publisher = {
        "@type": "Organization",
        "name": "Mostaql",
        "url": settings.SITE_URL + "/",
        "logo": {"@type": "ImageObject", "url": settings.SITE_URL + static("img/share.png")},
    }
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": headline[:110],
        "description": description,
        "inLanguage": language,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": [settings.SITE_URL + static("img/share.png")],
        "datePublished": (article.published_at or article.created_at).isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "author": publisher,
        "publisher": publisher,
        "articleSection": article.track.title,
    }
