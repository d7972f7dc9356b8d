from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from mostaql.catalog.models import Category, Skill
from mostaql.core.cache import bump_version, current_version

# Bumped whenever a category or a skill is saved or deleted (signals in apps.py).
CATALOG_VERSION_KEY = "catalog:version"
# With the default local-memory cache each process has its own version: what another process
# cached is at most this old. A shared cache (Redis) sees a bump at once.
CATALOG_CACHE_SECONDS = 600


def catalog_version() -> int:
    return current_version(CATALOG_VERSION_KEY)


def retire_catalog_caches(sender: type, **kwargs: object) -> None:
    """Connected in CatalogConfig.ready to every save and delete of a category or a skill (staff
    edit the catalog in the admin): the cached menus and pickers are read again."""
    bump_version(CATALOG_VERSION_KEY)


def categories_with_skills() -> QuerySet[Category]:
    """Every category with its skills, in two queries (for filter menus and skill pickers)."""
    return Category.objects.prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name_ar")))


def skill_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Skills grouped by category, ready for a <select> with <optgroup>s."""
    return [
        (category.name, [(skill.pk, skill.name) for skill in category.skills.all()])
        for category in categories_with_skills()
    ]


def ids_by_slug() -> dict[str, dict[str, int]]:
    """{"categories": {slug: id}, "skills": {slug: id}}, cached until the catalog changes.

    Lists filter on the ids: PostgreSQL then plans with the statistics of the very category or skill,
    where a join on the slug left it to guess.
    """
    key = f"catalog:ids-by-slug:{catalog_version()}"
    ids = cache.get(key)
    if ids is None:
        ids = {
            "categories": dict(Category.objects.values_list("slug", "pk")),
            "skills": dict(Skill.objects.values_list("slug", "pk")),
        }
        cache.set(key, ids, CATALOG_CACHE_SECONDS)
    return ids
