from django.shortcuts import render

from mostaql.accounts import selectors as account_selectors
from mostaql.catalog.selectors import categories_with_skills


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "categories": categories_with_skills(),
            "freelancers": account_selectors.freelancer_directory()[:6],
        },
    )
