from django.shortcuts import render

from mostaql.accounts import selectors as account_selectors
from mostaql.catalog.selectors import categories_with_skills
from mostaql.gigs import selectors as gig_selectors
from mostaql.projects import selectors as project_selectors
from mostaql.reviews import selectors as review_selectors


def home(request):
    """The home page gathers several apps (categories, freelancers, open projects, services), so it lives at
    the top of the layers, not in core (docs/architecture.md, "Layers")."""
    freelancers = list(account_selectors.freelancer_directory()[:6])
    return render(
        request,
        "core/home.html",
        {
            "categories": categories_with_skills(),
            "freelancers": freelancers,
            "verified_ids": review_selectors.verified_identity_ids(p.user_id for p in freelancers),
            "projects": project_selectors.open_projects()[:5],
            "services": gig_selectors.listed_services(sort="best_selling")[:4],
        },
    )
