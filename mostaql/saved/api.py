"""Saved searches and favourites for API clients: the same services and selectors as /saved/.
Everything here is the person's own: another person's saved search is a 404."""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from mostaql.api.errors import errors
from mostaql.api.pagination import paginate
from mostaql.api.params import Id, Text, path_id
from mostaql.saved import alerts, selectors, services
from mostaql.saved.lists import MAX_QUERY_LENGTH
from mostaql.saved.models import Favourite, SavedSearch

router = Router(tags=["saved"])

Frequency = Literal["instant", "daily", "off"]


class SearchFilters(Schema):
    """A list's filters, named as in its query string: /projects/ knows category, skills, budget and
    posted; /services/ category, skill, min_price, max_price, delivery and rating; /requests/
    category, min_budget and max_budget. A filter the chosen list does not know is refused (422)."""

    model_config = ConfigDict(extra="forbid")
    category: Text(max_length=50, description="A category's slug.") = ""
    skills: list[Text(max_length=50)] = Field(
        default_factory=list, max_length=5, description="Projects: skills' slugs."
    )
    budget: Text(max_length=12, description='Projects: a budget bracket, e.g. "100-250".') = ""
    posted: Literal["", "day", "week", "month"] = ""
    skill: Text(max_length=50, description="Services: a skill's slug.") = ""
    min_price: Text(max_length=12, description="Services: the lowest price, in dollars.") = ""
    max_price: Text(max_length=12, description="Services: the highest price, in dollars.") = ""
    delivery: Literal["", "1", "3", "7"] = ""
    rating: Literal["", "4", "4.5"] = ""
    min_budget: Text(max_length=12, description="Requests: the lowest budget, in dollars.") = ""
    max_budget: Text(max_length=12, description="Requests: the highest budget, in dollars.") = ""


class SavedSearchIn(Schema):
    model_config = ConfigDict(extra="forbid")
    list_name: Literal["projects", "services", "requests"] = "projects"
    name: Text(max_length=80) = ""
    query: Text(max_length=MAX_QUERY_LENGTH, description="The search words, as in /projects/?q=…") = ""
    filters: SearchFilters = Field(default_factory=SearchFilters)
    frequency: Frequency = "daily"


class SavedSearchPatch(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Text(min_length=1, max_length=80) | None = None
    frequency: Frequency | None = None


class SavedSearchOut(Schema):
    id: int
    list_name: str
    name: str
    query: str
    filters: dict
    frequency: str
    url: str = Field(description="The list page with this search (a path).")
    created_at: datetime.datetime

    @staticmethod
    def resolve_url(obj) -> str:
        return alerts.list_url(obj)


class FavouriteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["project", "service", "freelancer"]
    object_id: Id = Field(description="A project's or a service's id, or a freelancer's user id.")


class FavouriteOut(Schema):
    id: int
    kind: str
    object_id: int
    created_at: datetime.datetime


def _filters(data: SavedSearchIn) -> dict:
    return {name: value for name, value in data.filters.dict().items() if value}


@router.get("/saved/searches/", response=list[SavedSearchOut])
@paginate
def list_searches(request):
    """Your saved searches, newest first."""
    return selectors.searches_of(request.auth)


@router.post("/saved/searches/", response={201: SavedSearchOut, **errors(409)})
def create_search(request, data: SavedSearchIn):
    """Save a list's search with its query and filters, and how often to be alerted."""
    saved = services.save_search(
        user=request.auth,
        list_name=data.list_name,
        query=data.query,
        filters=_filters(data),
        frequency=data.frequency,
        name=data.name,
    )
    return Status(201, saved)


@router.get("/saved/searches/{search_id}/", response={200: SavedSearchOut, **errors(404)})
def get_search(request, search_id: int = path_id()):
    """One of your saved searches."""
    return get_object_or_404(SavedSearch, pk=search_id, user=request.auth)


@router.patch("/saved/searches/{search_id}/", response={200: SavedSearchOut, **errors(404)})
def change_search(request, data: SavedSearchPatch, search_id: int = path_id()):
    """Rename one of your saved searches, or change how often it alerts you."""
    search = get_object_or_404(SavedSearch, pk=search_id, user=request.auth)
    return services.change_search(
        user=request.auth, saved_search=search, frequency=data.frequency, name=data.name
    )


@router.delete("/saved/searches/{search_id}/", response={204: None, **errors(404)})
def delete_search(request, search_id: int = path_id()):
    """Delete one of your saved searches (its alerts stop)."""
    search = get_object_or_404(SavedSearch, pk=search_id, user=request.auth)
    services.delete_search(user=request.auth, saved_search=search)
    return Status(204, None)


@router.get("/saved/favourites/", response=list[FavouriteOut])
@paginate
def list_favourites(request):
    """What you keep in your list, newest first (ids; what is no longer public is included)."""
    return selectors.favourites_of(request.auth)


@router.post("/saved/favourites/", response={201: FavouriteOut, **errors(404)})
def add_favourite(request, data: FavouriteIn):
    """Keep an open project, a published service or a freelancer in your list (twice is once)."""
    return Status(201, services.add_favourite(user=request.auth, kind=data.kind, object_id=data.object_id))


@router.delete("/saved/favourites/{kind}/{object_id}/", response={204: None, **errors(404)})
def remove_favourite(request, kind: Literal["project", "service", "freelancer"], object_id: int = path_id()):
    """Take a project, a service or a freelancer off your list."""
    get_object_or_404(Favourite, user=request.auth, kind=kind, object_id=object_id)
    services.remove_favourite(user=request.auth, kind=kind, object_id=object_id)
    return Status(204, None)
