"""The catalog for API clients: categories with their skills (public)."""

from ninja import Router, Schema

from mostaql.api.auth import viewer
from mostaql.api.pagination import paginate
from mostaql.catalog.selectors import categories_with_skills

router = Router(tags=["catalog"])


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
