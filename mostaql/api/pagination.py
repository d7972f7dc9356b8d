"""One page shape for every list: `{"items": [...], "count": n, "next": url|null, "previous": url|null}`.

Query parameters `page` (from 1) and `page_size` (API_PAGE_SIZE by default, at most
API_MAX_PAGE_SIZE). A page costs the selector's fixed queries plus one COUNT, whatever its size.

    @router.get("/things/", response=list[ThingOut])
    @paginate
    def list_things(request):
        return selectors.things_of(request.auth)   # a QuerySet (or a list), ordered
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from ninja.pagination import paginate as ninja_paginate


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
        page_size: int | None = Field(
            None, ge=1, le=settings.API_MAX_PAGE_SIZE, description="Items per page (default 20)."
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many items all pages hold together.")
        next: str | None = Field(description="The next page's address, or null on the last page.")
        previous: str | None = Field(description="The previous page's address, or null on the first.")

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        size = pagination.page_size or settings.API_PAGE_SIZE
        offset = (pagination.page - 1) * size
        count = self._items_count(queryset)
        items = list(queryset[offset : offset + size])
        return {
            "items": items,
            "count": count,
            "next": _page_url(request, pagination.page + 1) if offset + size < count else None,
            "previous": _page_url(request, pagination.page - 1) if pagination.page > 1 else None,
        }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(func):
    """The one pagination of the API (see the module's docstring)."""
    return ninja_paginate(PagePagination)(func)
