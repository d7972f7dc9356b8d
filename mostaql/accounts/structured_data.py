"""schema.org `Person` data for a public profile's page."""

from django.conf import settings

from mostaql.accounts.models import Profile


def absolute(url: str) -> str:
    """A file's address for another site to fetch: storages on another host already give a full one."""
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def person(profile: Profile) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": profile.user.name,
        "url": settings.SITE_URL + profile.get_absolute_url(),
    }
    if profile.title:
        data["jobTitle"] = profile.title
    if profile.bio:
        data["description"] = profile.bio[:500]
    if profile.avatar:
        data["image"] = absolute(profile.avatar.url)
    if profile.country:
        data["homeLocation"] = {"@type": "Country", "name": str(profile.country.name)}
    skills = [skill.name for skill in profile.skills.all()]
    if skills:
        data["knowsAbout"] = skills
    return data
