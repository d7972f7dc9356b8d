from django.conf import settings


def site(request) -> dict:
    """The public address of the site, for canonical links and the pictures shared on social media."""
    return {"site_url": settings.SITE_URL}
