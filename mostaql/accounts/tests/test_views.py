"""The pages a person uses: profile settings, portfolio, public profile, dashboard, directory."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from mostaql.accounts import services
from mostaql.accounts.forms import ProfileForm
from mostaql.accounts.models import PortfolioImage, PortfolioItem, Profile, User
from mostaql.accounts.tests.factories import PortfolioItemFactory, UserFactory, image_upload, verify_email
from mostaql.catalog.models import Skill
from mostaql.core.uploads import clean_image

pytestmark = pytest.mark.django_db


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def field_errors(response, field: str) -> list[str]:
    """The errors shown beside one field of the form on the page."""
    match = re.search(
        rf'<ul class="field-errors" id="id_{field}_errors">(.*?)</ul>', response.content.decode(), re.DOTALL
    )
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.DOTALL) if match else []


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.fixture
def member(client) -> User:
    user = UserFactory(name="سارة", primary_role=User.Role.FREELANCER)
    client.force_login(user)
    return user


# --- Profile settings -----------------------------------------------------------------------------


def settings_data(**changes) -> dict:
    data = {
        "name": "سارة العتيبي",
        "primary_role": "freelancer",
        "title": "مطورة جانغو",
        "bio": "أبني مواقع سريعة.",
        "country": "SA",
        "skills": [
            str(pk) for pk in Skill.objects.filter(slug__in=["python", "django"]).values_list("pk", flat=True)
        ],
        "hourly_rate": "25.50",
    }
    data.update(changes)
    return data


def saved_profile(user: User) -> dict:
    profile = Profile.objects.select_related("user").get(user=user)
    return {
        "name": profile.user.name,
        "role": profile.user.primary_role,
        "title": profile.title,
        "bio": profile.bio,
        "country": profile.country.code,
        "rate": profile.hourly_rate_cents,
        "avatar": profile.avatar.name,
        "skills": set(profile.skills.values_list("slug", flat=True)),
    }


@pytest.mark.parametrize(
    "url",
    [
        "/settings/",
        "/settings/portfolio/",
        "/settings/portfolio/new/",
        "/settings/portfolio/1/edit/",
        "/dashboard/",
    ],
)
def test_settings_pages_send_a_visitor_to_log_in_first(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_settings_page_shows_what_the_person_wrote(client, member):
    services.update_profile(
        user=member,
        name="سارة",
        primary_role="freelancer",
        title="مصممة شعارات",
        bio="",
        country="EG",
        skills=Skill.objects.filter(slug="logo-design"),
        hourly_rate_cents=1500,
    )

    response = client.get("/settings/")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "مصممة شعارات"
    assert form.initial["hourly_rate"] == 15
    assert 'value="مصممة شعارات"' in response.content.decode()


def test_a_person_saves_their_profile_with_a_picture(client, member):
    response = client.post("/settings/", settings_data(avatar=image_upload()))

    assert response.status_code == 302
    assert response["Location"] == "/settings/"
    saved = saved_profile(member)
    assert saved["name"] == "سارة العتيبي"
    assert saved["title"] == "مطورة جانغو"
    assert saved["country"] == "SA"
    assert saved["rate"] == 2550
    assert saved["skills"] == {"python", "django"}
    assert saved["avatar"].startswith("avatars/")
    assert len(stored_files()) == 2
    assert page_messages(client.get("/settings/"))


def test_bidirectional_controls_are_stripped_from_the_title_on_the_settings_page(client, member):
    client.post("/settings/", settings_data(title="\u202eمطورة\u202c \u2067Django\u2069"))

    assert saved_profile(member)["title"] == "مطورة Django"


def test_saving_again_without_a_file_keeps_the_picture(client, member):
    client.post("/settings/", settings_data(avatar=image_upload()))
    avatar = saved_profile(member)["avatar"]

    client.post("/settings/", settings_data(title="عنوان آخر"))

    assert saved_profile(member)["avatar"] == avatar
    assert len(stored_files()) == 2


def test_country_names_follow_the_language_of_the_page(client, member):
    def country_option(code: str) -> str:
        html = client.get("/settings/").content.decode()
        return re.search(rf'<option value="{code}"[^>]*>([^<]*)</option>', html).group(1)

    arabic = country_option("EG")
    client.post("/i18n/setlang/", {"language": "en"})
    english = country_option("EG")

    assert (arabic, english) == ("مصر", "Egypt")


def test_the_picture_can_be_removed(client, member, django_capture_on_commit_callbacks):
    client.post("/settings/", settings_data(avatar=image_upload()))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/settings/", settings_data(**{"avatar-clear": "on"}))

    assert response.status_code == 302
    assert saved_profile(member)["avatar"] == ""
    assert stored_files() == set()


def assert_profile_refused(client, member, data, field) -> list[str]:
    before, files_before = saved_profile(member), stored_files()

    response = client.post("/settings/", data)

    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors
    assert saved_profile(member) == before
    assert stored_files() == files_before
    return errors


def test_twenty_one_skills_are_refused_with_a_message(client, member):
    skills = [str(pk) for pk in Skill.objects.values_list("pk", flat=True)[:21]]

    [error] = assert_profile_refused(
        client, member, settings_data(skills=skills, avatar=image_upload()), "skills"
    )

    assert "20" in error


def test_a_text_file_named_photo_jpg_is_refused_as_a_picture(client, member):
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 'hello'; ?>", content_type="image/jpeg")

    assert_profile_refused(client, member, settings_data(avatar=fake), "avatar")


def test_a_picture_twenty_thousand_pixels_wide_is_refused(client, member):
    [error] = assert_profile_refused(
        client, member, settings_data(avatar=image_upload(size=(20_000, 1))), "avatar"
    )

    assert "20000" in error


def test_a_picture_over_the_size_limit_is_refused(client, member, settings):
    upload = image_upload()
    settings.UPLOAD_MAX_IMAGE_BYTES = upload.size - 1

    assert_profile_refused(client, member, settings_data(avatar=upload), "avatar")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"hourly_rate": "0"}, "hourly_rate"),
        ({"primary_role": "boss"}, "primary_role"),
    ],
)
def test_bad_profile_input_is_refused_beside_its_field(client, member, changes, field):
    assert_profile_refused(client, member, settings_data(**changes), field)


def test_a_post_to_settings_without_a_csrf_token_is_forbidden(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    before = saved_profile(member)

    response = client.post("/settings/", settings_data())

    assert response.status_code == 403
    assert saved_profile(member) == before


# --- Public profile -------------------------------------------------------------------------------


def test_the_public_profile_shows_name_title_skills_and_portfolio(client):
    user = UserFactory(name="ليلى الشامي")
    services.update_profile(
        user=user,
        name=user.name,
        primary_role="freelancer",
        title="مصممة هويات بصرية",
        bio="أحب الألوان.",
        country="SY",
        skills=Skill.objects.filter(slug="logo-design"),
        hourly_rate_cents=2000,
    )
    item = services.create_portfolio_item(
        owner=user,
        title="هوية مقهى بُن",
        description="شعار وألوان.",
        images=[clean_image(image_upload())],
    )

    response = client.get(f"/u/{user.profile.slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "ليلى الشامي" in html
    assert "مصممة هويات بصرية" in html
    assert Skill.objects.get(slug="logo-design").name_ar in html
    assert "هوية مقهى بُن" in html
    assert item.get_absolute_url() in html
    assert item.images.get().thumbnail.url in html
    assert '<bdi dir="ltr" class="money">$20.00</bdi>' in html


def test_user_text_on_the_profile_is_escaped(client):
    user = UserFactory(name="<script>alert(1)</script>")

    html = client.get(f"/u/{user.profile.slug}/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_unknown_profile_address_is_not_found(client):
    assert client.get("/u/nobody-here/").status_code == 404


def test_the_profile_of_a_deactivated_account_is_not_found(client):
    user = UserFactory(is_active=False)

    assert client.get(f"/u/{user.profile.slug}/").status_code == 404


# --- Portfolio ------------------------------------------------------------------------------------


def portfolio_data(**changes) -> dict:
    data = {
        "title": "متجر إلكتروني للعطور",
        "description": "متجر كامل بواجهة عربية ودفع إلكتروني.",
        "link": "https://example.com/shop",
        "skills": [str(Skill.objects.get(slug="django").pk)],
        "completed_on": "2026-01-15",
    }
    data.update(changes)
    return data


def item_state(item: PortfolioItem) -> dict:
    item = PortfolioItem.objects.get(pk=item.pk)
    return {
        "title": item.title,
        "description": item.description,
        "link": item.link,
        "skills": set(item.skills.values_list("pk", flat=True)),
        "images": set(item.images.values_list("pk", flat=True)),
    }


def item_with_images(owner: User, count: int) -> PortfolioItem:
    return services.create_portfolio_item(
        owner=owner,
        title="عمل سابق",
        description="وصف العمل السابق.",
        images=[clean_image(image_upload(f"{index}.png")) for index in range(count)],
    )


def test_a_freelancer_adds_a_portfolio_item_with_several_images(client, member):
    response = client.post(
        "/settings/portfolio/new/", portfolio_data(images=[image_upload("a.png"), image_upload("b.png")])
    )

    assert response.status_code == 302
    assert response["Location"] == "/settings/portfolio/"
    item = PortfolioItem.objects.get()
    assert item.profile == member.profile
    assert item.title == "متجر إلكتروني للعطور"
    assert item.completed_on == datetime.date(2026, 1, 15)
    assert [skill.slug for skill in item.skills.all()] == ["django"]
    assert item.images.count() == 2
    assert len(stored_files()) == 4
    listing = client.get("/settings/portfolio/")
    assert "متجر إلكتروني للعطور" in listing.content.decode()
    assert page_messages(listing)


def test_eleven_images_are_refused_and_nothing_is_saved(client, member):
    images = [image_upload(f"{index}.png") for index in range(11)]

    response = client.post("/settings/portfolio/new/", portfolio_data(images=images))

    assert response.status_code == 200
    [error] = field_errors(response, "images")
    assert "10" in error
    assert not PortfolioItem.objects.exists()
    assert stored_files() == set()


def test_a_text_file_among_the_portfolio_images_is_refused(client, member):
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")

    response = client.post("/settings/portfolio/new/", portfolio_data(images=[image_upload(), fake]))

    assert response.status_code == 200
    [error] = field_errors(response, "images")
    assert error.startswith("photo.jpg")
    assert not PortfolioItem.objects.exists()
    assert stored_files() == set()


def test_the_owner_edits_an_item_adding_and_removing_images(client, member):
    item = item_with_images(member, 2)
    first, second = item.images.all()

    response = client.post(
        f"/settings/portfolio/{item.pk}/edit/",
        portfolio_data(title="متجر محدث", images=[image_upload("new.png")], remove_images=[str(first.pk)]),
    )

    assert response.status_code == 302
    state = item_state(item)
    assert state["title"] == "متجر محدث"
    assert second.pk in state["images"]
    assert first.pk not in state["images"]
    assert len(state["images"]) == 2


def test_the_edit_page_offers_the_current_images_for_removal(client, member):
    item = item_with_images(member, 1)

    response = client.get(f"/settings/portfolio/{item.pk}/edit/")

    assert response.status_code == 200
    assert item.images.get().thumbnail.url in response.content.decode()
    assert response.context["form"].initial["title"] == "عمل سابق"


def test_an_edit_beyond_ten_images_is_refused_with_a_message(client, member):
    item = item_with_images(member, 10)
    before, files_before = item_state(item), stored_files()

    response = client.post(
        f"/settings/portfolio/{item.pk}/edit/", portfolio_data(title="عنوان جديد", images=[image_upload()])
    )

    assert response.status_code == 200
    assert field_errors(response, "images")
    assert item_state(item) == before
    assert stored_files() == files_before


def test_another_persons_images_cannot_be_removed_through_my_item(client, member):
    mine = item_with_images(member, 1)
    theirs = item_with_images(UserFactory(), 1)
    their_image = theirs.images.get()

    response = client.post(
        f"/settings/portfolio/{mine.pk}/edit/", portfolio_data(remove_images=[str(their_image.pk)])
    )

    assert response.status_code == 200
    assert field_errors(response, "remove_images")
    assert PortfolioImage.objects.filter(pk=their_image.pk).exists()


def test_someone_elses_item_cannot_be_seen_edited_or_deleted(
    client, member, django_capture_on_commit_callbacks
):
    theirs = item_with_images(UserFactory(), 1)
    before, files_before = item_state(theirs), stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        edit_page = client.get(f"/settings/portfolio/{theirs.pk}/edit/")
        edit = client.post(f"/settings/portfolio/{theirs.pk}/edit/", portfolio_data(title="اختُرق"))
        delete = client.post(f"/settings/portfolio/{theirs.pk}/delete/")

    assert (edit_page.status_code, edit.status_code, delete.status_code) == (404, 404, 404)
    assert item_state(theirs) == before
    assert stored_files() == files_before


@pytest.mark.parametrize("item_id", [0, 999_999])
def test_an_item_id_that_does_not_exist_is_not_found(client, member, item_id):
    PortfolioItemFactory(profile=member.profile)

    assert client.get(f"/settings/portfolio/{item_id}/edit/").status_code == 404
    assert client.post(f"/settings/portfolio/{item_id}/delete/").status_code == 404
    assert PortfolioItem.objects.count() == 1


def test_the_owner_deletes_an_item_and_its_files(client, member, django_capture_on_commit_callbacks):
    item = item_with_images(member, 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/settings/portfolio/{item.pk}/delete/")

    assert response.status_code == 302
    assert response["Location"] == "/settings/portfolio/"
    assert not PortfolioItem.objects.exists()
    assert not PortfolioImage.objects.exists()
    assert stored_files() == set()


def test_deleting_by_get_is_not_allowed(client, member):
    item = PortfolioItemFactory(profile=member.profile)

    response = client.get(f"/settings/portfolio/{item.pk}/delete/")

    assert response.status_code == 405
    assert PortfolioItem.objects.filter(pk=item.pk).exists()


def test_a_visitor_cannot_add_edit_or_delete_portfolio_items(client):
    item = PortfolioItemFactory()
    before = item_state(item)

    responses = [
        client.post("/settings/portfolio/new/", portfolio_data()),
        client.post(f"/settings/portfolio/{item.pk}/edit/", portfolio_data(title="اختُرق")),
        client.post(f"/settings/portfolio/{item.pk}/delete/"),
    ]

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert all(response["Location"].startswith("/accounts/login/?next=") for response in responses)
    assert PortfolioItem.objects.count() == 1
    assert item_state(item) == before


def test_my_portfolio_page_lists_only_my_items(client, member):
    PortfolioItemFactory(profile=member.profile, title="عملي أنا")
    PortfolioItemFactory(title="عمل شخص آخر")

    html = client.get("/settings/portfolio/").content.decode()

    assert "عملي أنا" in html
    assert "عمل شخص آخر" not in html


def test_the_item_page_shows_its_images(client):
    owner = UserFactory()
    item = item_with_images(owner, 2)

    response = client.get(f"/u/{owner.profile.slug}/portfolio/{item.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "عمل سابق" in html
    for image in item.images.all():
        assert image.image.url in html


def test_the_item_page_is_not_found_under_someone_elses_address(client):
    item = PortfolioItemFactory()
    stranger = UserFactory()

    assert client.get(f"/u/{stranger.profile.slug}/portfolio/{item.pk}/").status_code == 404


def test_the_item_page_of_a_deactivated_account_is_not_found(client):
    owner = UserFactory(is_active=False)
    item = PortfolioItemFactory(profile=owner.profile)

    assert client.get(f"/u/{owner.profile.slug}/portfolio/{item.pk}/").status_code == 404


# --- Dashboard ------------------------------------------------------------------------------------


def completion(response) -> int:
    return int(re.search(r'<progress max="100" value="(\d+)"', response.content.decode()).group(1))


def test_the_dashboard_shows_the_checklist_and_completion_rises_with_each_step(client, member):
    empty = client.get("/dashboard/")
    assert empty.status_code == 200
    assert completion(empty) == 0
    assert len(empty.context["checklist"]) == 7

    client.post("/settings/", settings_data(bio="", skills=[]))
    with_title = client.get("/dashboard/")

    assert completion(with_title) == round(100 * 1 / 7)
    assert completion(with_title) > completion(empty)

    verify_email(member)
    PortfolioItemFactory(profile=member.profile)

    assert completion(client.get("/dashboard/")) == round(100 * 3 / 7)


def test_the_dashboard_links_each_missing_step_to_where_it_is_done(client, member):
    html = client.get("/dashboard/").content.decode()

    assert 'href="/settings/"' in html
    assert 'href="/settings/portfolio/new/"' in html
    assert 'href="/accounts/email/"' in html


# --- Freelancer directory -------------------------------------------------------------------------


def freelancer(name: str, title: str = "", *, skills=(), **fields) -> Profile:
    user = UserFactory(name=name, **fields)
    return services.update_profile(
        user=user,
        name=name,
        primary_role=user.primary_role,
        title=title,
        bio="",
        country="",
        skills=Skill.objects.filter(slug__in=skills),
        hourly_rate_cents=None,
    )


def listed_names(response) -> list[str]:
    return [profile.user.name for profile in response.context["page"].object_list]


def test_the_directory_lists_active_freelancers_only(client):
    freelancer("أحمد المبرمج")
    freelancer("سارة صاحبة المشروع", primary_role=User.Role.CLIENT)
    freelancer("حساب موقوف", is_active=False)

    response = client.get("/freelancers/")

    assert response.status_code == 200
    assert listed_names(response) == ["أحمد المبرمج"]


def test_the_directory_finds_a_title_however_it_is_spelled(client):
    freelancer("عمر", "مبرمج بايثون")
    freelancer("منى", "مترجمة")

    for query in ["مبرمج", "مُبَرمِج", "مبرمـــج", "بايثون مبرمج"]:
        assert listed_names(client.get("/freelancers/", {"q": query})) == ["عمر"], query


def test_the_directory_filters_by_category_and_by_skill(client):
    freelancer("عمر", skills=["python", "django"])
    freelancer("ليلى", skills=["logo-design"])

    assert listed_names(client.get("/freelancers/", {"category": "programming"})) == ["عمر"]
    assert listed_names(client.get("/freelancers/", {"skill": "logo-design"})) == ["ليلى"]
    assert listed_names(client.get("/freelancers/", {"skill": "no-such-skill"})) == []


def test_the_directory_is_paginated(client, settings):
    settings.FREELANCERS_PER_PAGE = 2
    for number in range(5):
        freelancer(f"مستقل {number}")

    first = client.get("/freelancers/")
    last = client.get("/freelancers/", {"page": 3})

    assert len(first.context["page"].object_list) == 2
    assert first.context["page"].paginator.num_pages == 3
    assert len(last.context["page"].object_list) == 1
    seen = listed_names(first) + listed_names(client.get("/freelancers/", {"page": 2})) + listed_names(last)
    assert sorted(seen) == sorted(f"مستقل {number}" for number in range(5))


def test_countries_are_sorted_by_their_arabic_names_with_the_arab_countries_first():
    with translation.override("ar"):
        choices = ProfileForm().fields["country"].choices

    (_empty, (_arab_label, arab), (_other_label, others)) = choices
    arab_names = [name for _code, name in arab]
    assert len(arab) == 22 and "SA" in dict(arab) and "EG" in dict(arab)
    assert arab_names == sorted(arab_names, key=lambda name: name.replace("أ", "ا").replace("إ", "ا"))
    assert arab_names[:3] == ["الأردن", "الإمارات العربية المتحدة", "البحرين"]
    assert "FR" in dict(others) and "SA" not in dict(others)
