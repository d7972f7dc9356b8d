from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.dashboard import selectors
from mostaql.projects import selectors as project_selectors
from mostaql.reviews import selectors as review_selectors
from mostaql.saved import selectors as saved_selectors


def _checklist(user: User, profile, *, portfolio_count: int, has_projects: bool) -> list[tuple]:
    """The steps that make the account work for what the person came to do."""
    email = (
        _("Verify your e-mail address"),
        user.emailaddress_set.filter(verified=True).exists(),
        "account_email",
    )
    two_factor = (_("Turn on two-factor authentication"), user.authenticator_set.exists(), "mfa_index")
    avatar = (_("Add a profile picture"), bool(profile.avatar), "accounts:settings")
    if user.primary_role == User.Role.CLIENT:
        return [
            email,
            avatar,
            (_("Tell freelancers about yourself or your company"), bool(profile.bio), "accounts:settings"),
            (_("Post your first project"), has_projects, "projects:create"),
            two_factor,
        ]
    return [
        email,
        (_("Write a professional title"), bool(profile.title), "accounts:settings"),
        (_("Tell clients about yourself"), bool(profile.bio), "accounts:settings"),
        avatar,
        (_("Choose your skills"), profile.skills.exists(), "accounts:settings"),
        (_("Add a portfolio item"), portfolio_count > 0, "accounts:portfolio_new"),
        two_factor,
    ]


@login_required
def dashboard(request):
    user = request.user
    profile = user.profile
    client = selectors.client_blocks(user)
    freelancer = selectors.freelancer_blocks(user)
    orders = selectors.order_blocks(user)
    portfolio_count = profile.portfolio_items.count()
    has_projects = user.projects.exists()
    checklist = _checklist(user, profile, portfolio_count=portfolio_count, has_projects=has_projects)
    done = sum(1 for _label, is_done, _url in checklist if is_done)
    is_client = user.primary_role == User.Role.CLIENT
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "profile": profile,
            "checklist": checklist,
            "completion": round(100 * done / len(checklist)),
            "portfolio_count": portfolio_count,
            "client": client,
            "freelancer": freelancer,
            "orders": orders,
            # The primary role's blocks always show (with what to do when empty); the other role's
            # only when something there needs the person.
            "show_client": is_client or not client.is_empty,
            "show_freelancer": not is_client or not freelancer.is_empty,
            "is_client": is_client,
            "unanswered": selectors.unanswered_conversations(user),
            # Invitations to projects still taking offers, not yet answered with an offer: one query.
            "invitations": list(project_selectors.open_invitations(user)[: selectors.LIST_LIMIT]),
            "verified_ids": review_selectors.verified_identity_ids([user.pk]),  # their card's badge
            "balances": selectors.balances(user),
            # A new freelancer is offered alerts for the projects in their skills, once.
            "alert_skills": saved_selectors.skills_alert_offer(user),
        },
    )
