"""Invitations and a private project in a real browser: a client posts a private project, invites a
freelancer from the project's suggested freelancers and another from a profile; the invited freelancer,
on a phone, finds the invitation and sends an offer that does not count against the month's quota; a
freelancer not invited gets a 404. Every page is checked for accessibility (axe) on load."""

import re

import pytest

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.projects import services
from mostaql.projects.models import Invitation, Offer, Project
from mostaql.projects.tests.factories import open_project, place_offer
from mostaql.wallet.tests.factories import verify_identity
from tests.browser.support import PHONE, ar, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "لوحة تحكم داخلية لإدارة مخزون متجر عطور"
DESCRIPTION = (
    "نحتاج لوحة تحكم داخلية لإدارة مخزون فروعنا الثلاثة: الأصناف والكميات وتنبيهات النقص وتقارير "
    "أسبوعية. المشروع خاص، ندعو إليه من نثق بسجلهم فقط."
)
OFFER_TEXT = "بنيت أنظمة مخزون مشابهة بجانغو، وأسلم لوحة التحكم كاملة مع التقارير خلال ثلاثة أسابيع."


def _person(name: str, email: str, role: str, skills=()) -> User:
    user = UserFactory(name=name, email=email, primary_role=role)
    verify_email(user)
    user.profile.skills.set(Skill.objects.filter(slug__in=skills))
    return user


def test_a_client_invites_to_a_private_project_and_the_invited_freelancer_bids(page, open_context, settings):
    load_catalog(Category, Skill)
    client = _person("سارة العتيبي", "sara@example.com", User.Role.CLIENT)
    suggested = _person("أحمد منصور", "ahmed@example.com", User.Role.FREELANCER, ["python", "django"])
    from_profile = _person("طارق الخطيب", "tarek@example.com", User.Role.FREELANCER, ["php"])
    outsider = _person("غير مدعو", "outsider@example.com", User.Role.FREELANCER, ["python"])
    verify_identity(suggested)
    settings.OFFERS_PER_MONTH = 1
    place_offer(open_project(), suggested)  # the month's one offer is used already
    settings.PROJECT_AUTO_APPROVE = True
    python, django = Skill.objects.get(slug="python"), Skill.objects.get(slug="django")

    # The client posts the project as private.
    log_in(page, client)
    page.goto("/projects/new/")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", DESCRIPTION)
    page.select_option("select[name=category]", str(python.category_id))
    page.check(f"input[name=skills][value='{python.pk}']")
    page.check(f"input[name=skills][value='{django.pk}']")
    page.select_option("select[name=budget]", "1000-2500")
    page.fill("input[name=duration_days]", "21")
    page.check("input[name=is_private]")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    project = Project.objects.get(title=TITLE)
    assert project.is_private
    assert page.locator(".page-head .badge-private").inner_text() == ar("Private")

    # The suggested freelancers match the skills; the client invites one.
    suggestions = page.locator("#suggested")
    assert suggestions.locator(".suggested-item").count() == 2  # the outsider knows Python too
    card = suggestions.locator(".suggested-item", has_text=suggested.name)
    assert card.locator(".badge-verified").count() == 1
    shot(page, "invitation_journey-1-suggested")
    card.locator("button[type=submit]").click()
    page.wait_for_selector(".message-success")
    assert Invitation.objects.filter(project=project, freelancer=suggested).exists()

    # And another from his profile, choosing the project.
    page.goto(from_profile.profile.get_absolute_url())
    page.click(f"a:text-is('{ar('Invite to a project')}')")
    page.wait_for_url(re.compile(r"/invite/$"))
    page.select_option("select[name=project]", str(project.pk))
    shot(page, "invitation_journey-2-invite-from-profile")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(from_profile.profile.get_absolute_url())
    assert Invitation.objects.filter(project=project, freelancer=from_profile).count() == 1

    # The invited freelancer, on a phone, finds the invitation and sends an offer despite the quota.
    phone = open_context(PHONE)
    log_in(phone, suggested)
    assert phone.locator("#invitations", has_text=TITLE).count() == 1
    phone.goto("/dashboard/invitations/")
    shot(phone, "invitation_journey-3-my-invitations-phone")
    phone.click(f"a:text-is('{ar('Send an offer')}')")
    phone.wait_for_url(re.compile(rf"/projects/{project.pk}/"))
    phone.fill("input[name=amount]", "1500")
    phone.fill("input[name=duration_days]", "21")
    phone.fill("textarea[name=text]", OFFER_TEXT)
    phone.click("#offer form button[type=submit]")
    phone.wait_for_selector(".message-success")
    offer = Offer.objects.get(project=project, freelancer=suggested)
    assert offer.is_invited
    assert services.offers_left_this_month(suggested) == 0  # unchanged: the invited offer is free
    shot(phone, "invitation_journey-4-offer-sent-phone")

    # Someone not invited gets a 404 at the project's address, and it is listed nowhere.
    stranger = open_context()
    log_in(stranger, outsider)
    response = stranger.goto(f"/projects/{project.pk}/")
    assert response.status == 404
    stranger.goto("/projects/")
    assert stranger.locator(".project-card", has_text=TITLE).count() == 0
