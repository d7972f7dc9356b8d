"""The catalog for API clients: categories with their skills (public)."""

from django.utils.translation import gettext as _
from ninja import Router, Schema

from mostaql.api.auth import viewer
from mostaql.api.errors import ApiError
from mostaql.api.pagination import paginate
from mostaql.catalog.models import Skill
from mostaql.catalog.selectors import categories_with_skills

router = Router(tags=["catalog"])


def skills_by_slug(slugs: list[str]) -> list[Skill]:
    """The skills an API client named by slug (each once); any unknown slug is a 422 naming `skills`."""
    slugs = list(dict.fromkeys(slugs))
    found = list(Skill.objects.filter(slug__in=slugs))
    if len(found) != len(slugs):
        unknown = sorted(set(slugs) - {skill.slug for skill in found})
        message = _("Unknown skills: %(slugs)s.") % {"slugs": ", ".join(unknown)}
        raise ApiError(422, "invalid_input", message, fields={"skills": message})
    return found


class SkillOut(Schema):
    id: int
    slug: str
    name: str
    name_ar: str
    name_en: str


class CategoryOut(Schema):
    id: int
    slug: str
    name: str
    name_ar: str
    name_en: str
    skills: list[SkillOut]

    @staticmethod
    def resolve_skills(category) -> list:
        return list(category.skills.all())


@router.get("/categories/", response=list[CategoryOut], auth=None)
@paginate
def list_categories(request):
    """Every category with its skills (`name` in the request's language), in two queries."""
    viewer(request)  # a bad token is refused even here
    return categories_with_skills()
