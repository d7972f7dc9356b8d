"""The rules behind sign-up, profiles and portfolios, called the way views and commands call them."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mostaql.accounts import services
from mostaql.accounts.models import PortfolioImage, PortfolioItem, Profile, User
from mostaql.accounts.tests.factories import UserFactory, image_upload
from mostaql.catalog.models import Skill
from mostaql.core.exceptions import DomainError
from mostaql.core.uploads import clean_image

pytestmark = pytest.mark.django_db

RIGHT_TO_LEFT_OVERRIDE, POP_FORMATTING, FIRST_STRONG_ISOLATE, POP_ISOLATE = (
    "\u202e",
    "\u202c",
    "\u2068",
    "\u2069",
)


def stored_files() -> set[str]:
    """Every file under MEDIA_ROOT (a fresh temporary folder in each test), relative to it."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def profile_arguments(user: User, **changes) -> dict:
    """What the settings page sends for a person who changes nothing but `changes`."""
    arguments = {
        "user": user,
        "name": user.name,
        "primary_role": user.primary_role,
        "title": "",
        "bio": "",
        "country": "",
        "skills": [],
        "hourly_rate_cents": None,
    }
    arguments.update(changes)
    return arguments


def profile_state(user: User) -> dict:
    profile = Profile.objects.get(user=user)
    return {
        "name": User.objects.get(pk=user.pk).name,
        "title": profile.title,
        "bio": profile.bio,
        "country": profile.country.code,
        "rate": profile.hourly_rate_cents,
        "avatar": profile.avatar.name,
        "skills": set(profile.skills.values_list("pk", flat=True)),
        "search_title": profile.search_title,
    }


# --- Sign-up and the profile every account has ----------------------------------------------------


def test_an_arabic_name_keeps_its_letters_in_the_profile_address():
    user = User.objects.create_user(email="fatima@example.com", password="x", name="فاطمة الزهراء")

    assert user.profile.slug == "فاطمة-الزهراء"


def test_a_second_person_with_the_same_name_gets_a_numbered_address():
    first = User.objects.create_user(email="one@example.com", password="x", name="فاطمة الزهراء")
    second = User.objects.create_user(email="two@example.com", password="x", name="فاطمة الزهراء")
    third = User.objects.create_user(email="three@example.com", password="x", name="فاطمة الزهراء")

    assert first.profile.slug == "فاطمة-الزهراء"
    assert second.profile.slug == "فاطمة-الزهراء-2"
    assert third.profile.slug == "فاطمة-الزهراء-3"


def test_a_name_without_letters_falls_back_to_the_email_for_the_address():
    user = User.objects.create_user(email="Sami.K@example.com", password="x", name="!!!")

    assert user.profile.slug == "samik"


def test_a_superuser_made_from_the_shell_has_a_profile_too():
    admin = User.objects.create_superuser(email="root@example.com", password="x", name="المدير")

    assert Profile.objects.filter(user=admin).exists()
    assert admin.is_staff and admin.is_superuser


def test_ensure_profile_never_makes_a_second_profile():
    user = UserFactory()

    assert services.ensure_profile(user) == user.profile
    assert Profile.objects.filter(user=user).count() == 1


def test_registering_sets_the_name_and_role_and_makes_the_name_searchable():
    user = UserFactory(name="", primary_role=User.Role.FREELANCER)

    profile = services.register_user(
        user=user, name=f"  {RIGHT_TO_LEFT_OVERRIDE}أحمد   منصور{POP_FORMATTING} ", primary_role="client"
    )

    user.refresh_from_db()
    assert user.name == "أحمد منصور"
    assert user.primary_role == User.Role.CLIENT
    assert profile.search_title == "احمد منصور"


@pytest.mark.parametrize(
    ("name", "role", "field"),
    [
        ("", "client", "name"),
        (f"{RIGHT_TO_LEFT_OVERRIDE}{POP_FORMATTING}  ", "client", "name"),
        ("أحمد", "admin", "primary_role"),
    ],
)
def test_registering_refuses_an_empty_name_or_an_unknown_role(name, role, field):
    user = UserFactory(name="الاسم الأول", primary_role=User.Role.FREELANCER)

    with pytest.raises(DomainError) as refusal:
        services.register_user(user=user, name=name, primary_role=role)

    assert refusal.value.field == field
    user.refresh_from_db()
    assert (user.name, user.primary_role) == ("الاسم الأول", User.Role.FREELANCER)


# --- Profile ------------------------------------------------------------------------------------


def test_a_person_saves_their_profile():
    user = UserFactory(name="سارة", primary_role=User.Role.FREELANCER)
    skills = list(Skill.objects.filter(slug__in=["python", "django"]))

    profile = services.update_profile(
        **profile_arguments(
            user,
            name="سارة العتيبي",
            primary_role="client",
            title="مُبَرمِجة بايثون",
            bio="أكتب الشيفرة\nوأختبرها.",
            country="SA",
            skills=skills,
            hourly_rate_cents=2500,
        )
    )

    user.refresh_from_db()
    assert (user.name, user.primary_role) == ("سارة العتيبي", User.Role.CLIENT)
    assert profile.title == "مُبَرمِجة بايثون"
    assert profile.bio == "أكتب الشيفرة\nوأختبرها."
    assert profile.country.code == "SA"
    assert profile.hourly_rate_cents == 2500
    assert set(profile.skills.all()) == set(skills)
    assert profile.search_title == "ساره العتيبي مبرمجه بايثون"


def test_the_address_stays_the_same_when_the_name_changes():
    user = UserFactory(name="سارة")
    slug = user.profile.slug

    services.update_profile(**profile_arguments(user, name="سارة العتيبي"))

    assert Profile.objects.get(user=user).slug == slug


def test_bidirectional_controls_are_removed_from_name_title_and_bio():
    user = UserFactory()

    services.update_profile(
        **profile_arguments(
            user,
            name=f"{RIGHT_TO_LEFT_OVERRIDE}ليلى{POP_FORMATTING}",
            title=f"مصممة {FIRST_STRONG_ISOLATE}logo{POP_ISOLATE}",
            bio=f"سطر{RIGHT_TO_LEFT_OVERRIDE} أول\nسطر ثانٍ",
        )
    )

    state = profile_state(user)
    assert state["name"] == "ليلى"
    assert state["title"] == "مصممة logo"
    assert state["bio"] == "سطر أول\nسطر ثانٍ"


def test_twenty_skills_are_allowed():
    user = UserFactory()
    skills = list(Skill.objects.all()[: settings.PROFILE_MAX_SKILLS])

    services.update_profile(**profile_arguments(user, skills=skills))

    assert user.profile.skills.count() == settings.PROFILE_MAX_SKILLS == 20


def test_twenty_one_skills_are_refused_and_nothing_is_saved():
    user = UserFactory(name="قبل")
    before = profile_state(user)

    with pytest.raises(DomainError) as refusal:
        services.update_profile(
            **profile_arguments(user, name="بعد", title="عنوان جديد", skills=list(Skill.objects.all()[:21]))
        )

    assert refusal.value.field == "skills"
    assert "20" in refusal.value.message
    assert profile_state(user) == before


@pytest.mark.parametrize("cents", [0, -100])
def test_an_hourly_rate_of_zero_or_less_is_refused(cents):
    user = UserFactory()
    before = profile_state(user)

    with pytest.raises(DomainError) as refusal:
        services.update_profile(**profile_arguments(user, title="جديد", hourly_rate_cents=cents))

    assert refusal.value.field == "hourly_rate"
    assert profile_state(user) == before


def test_an_unknown_role_is_refused_on_the_profile():
    user = UserFactory(primary_role=User.Role.FREELANCER)

    with pytest.raises(DomainError):
        services.update_profile(**profile_arguments(user, primary_role="superuser"))

    user.refresh_from_db()
    assert user.primary_role == User.Role.FREELANCER


def test_an_empty_name_is_refused_on_the_profile():
    user = UserFactory(name="قبل")
    before = profile_state(user)

    with pytest.raises(DomainError):
        services.update_profile(**profile_arguments(user, name=f" {POP_ISOLATE} ", title="جديد"))

    assert profile_state(user) == before


def test_an_avatar_is_re_encoded_and_stored_with_a_thumbnail():
    user = UserFactory()

    profile = services.update_profile(**profile_arguments(user, avatar=clean_image(image_upload())))

    assert profile.avatar.name.startswith("avatars/")
    assert profile.avatar_thumbnail.name.startswith("avatars/")
    assert stored_files() == {profile.avatar.name, profile.avatar_thumbnail.name}


def test_a_new_avatar_replaces_the_old_files_once_committed(django_capture_on_commit_callbacks):
    user = UserFactory()
    first = services.update_profile(**profile_arguments(user, avatar=clean_image(image_upload())))
    old_files = {first.avatar.name, first.avatar_thumbnail.name}

    with django_capture_on_commit_callbacks() as callbacks:
        second = services.update_profile(
            **profile_arguments(user, avatar=clean_image(image_upload("new.png")))
        )
        # Until the commit, the old picture is still there: a rollback would lose nothing.
        assert old_files <= stored_files()
    for callback in callbacks:
        callback()

    assert stored_files() == {second.avatar.name, second.avatar_thumbnail.name}


def test_saving_without_a_new_avatar_keeps_the_old_one():
    user = UserFactory()
    profile = services.update_profile(**profile_arguments(user, avatar=clean_image(image_upload())))

    services.update_profile(**profile_arguments(user, title="عنوان"))

    assert Profile.objects.get(user=user).avatar.name == profile.avatar.name
    assert stored_files() == {profile.avatar.name, profile.avatar_thumbnail.name}


def test_removing_the_avatar_deletes_its_files(django_capture_on_commit_callbacks):
    user = UserFactory()
    services.update_profile(**profile_arguments(user, avatar=clean_image(image_upload())))

    with django_capture_on_commit_callbacks(execute=True):
        profile = services.update_profile(**profile_arguments(user, remove_avatar=True))

    assert not profile.avatar
    assert not profile.avatar_thumbnail
    assert stored_files() == set()


# --- Images: what clean_image lets through ------------------------------------------------------


def test_a_text_file_named_like_a_photo_is_not_an_image():
    upload = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", content_type="image/jpeg")

    with pytest.raises(ValidationError) as refusal:
        clean_image(upload)

    assert refusal.value.code == "not_image"


def test_an_image_twenty_thousand_pixels_wide_is_refused():
    with pytest.raises(ValidationError) as refusal:
        clean_image(image_upload(size=(20_000, 1)))

    assert refusal.value.code == "too_many_pixels"


def test_an_image_over_the_size_limit_is_refused(settings):
    upload = image_upload()
    settings.UPLOAD_MAX_IMAGE_BYTES = upload.size - 1

    with pytest.raises(ValidationError) as refusal:
        clean_image(upload)

    assert refusal.value.code == "too_large"


def test_a_large_image_is_stored_smaller_with_a_small_thumbnail(settings):
    settings.UPLOAD_IMAGE_MAX_STORED_SIDE = 40
    settings.UPLOAD_THUMBNAIL_SIDE = 10

    image = clean_image(image_upload("photo.jpg", size=(80, 60), image_format="JPEG"))

    stored, thumbnail = Image.open(image.image), Image.open(image.thumbnail)
    assert stored.size == (40, 30)
    assert max(thumbnail.size) == 10
    # The page draws the stored picture with these attributes, so they describe that file.
    assert (image.width, image.height) == stored.size
    assert image.image.name.endswith(".jpg")
    assert "photo" not in image.image.name


def test_re_encoding_drops_camera_metadata_and_anything_hidden_after_the_image():
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Maker"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#be123c").save(buffer, "JPEG", exif=exif.tobytes())
    payload = b"<?php system($_GET['c']); ?>"
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue() + payload, content_type="image/jpeg")

    image = clean_image(upload)

    stored = image.image.read()
    assert b"Secret Camera Maker" not in stored
    assert payload not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


# --- Portfolio ------------------------------------------------------------------------------------


def new_item(owner: User, *, image_count: int = 0, **changes) -> PortfolioItem:
    arguments = {
        "owner": owner,
        "title": "متجر إلكتروني",
        "description": "متجر كامل بواجهة عربية.",
        "link": "https://example.com/shop",
        "skills": list(Skill.objects.filter(slug__in=["django", "react"])),
        "completed_on": datetime.date(2026, 1, 15),
        "images": [clean_image(image_upload(f"{index}.png")) for index in range(image_count)],
    }
    arguments.update(changes)
    return services.create_portfolio_item(**arguments)


def item_state(item: PortfolioItem) -> dict:
    item = PortfolioItem.objects.get(pk=item.pk)
    return {
        "title": item.title,
        "description": item.description,
        "link": item.link,
        "completed_on": item.completed_on,
        "skills": set(item.skills.values_list("pk", flat=True)),
        "images": list(item.images.values_list("pk", "position")),
    }


def test_a_freelancer_adds_a_portfolio_item_with_images():
    owner = UserFactory()

    item = new_item(owner, image_count=3, title=f"{RIGHT_TO_LEFT_OVERRIDE}متجر إلكتروني")

    assert item.profile == owner.profile
    assert item.title == "متجر إلكتروني"
    assert {skill.slug for skill in item.skills.all()} == {"django", "react"}
    assert [image.position for image in item.images.all()] == [0, 1, 2]
    assert len(stored_files()) == 6  # each image and its thumbnail


def test_ten_images_are_allowed_on_an_item():
    item = new_item(UserFactory(), image_count=settings.PORTFOLIO_MAX_IMAGES)

    assert item.images.count() == settings.PORTFOLIO_MAX_IMAGES == 10


def test_eleven_images_are_refused_and_nothing_is_saved():
    owner = UserFactory()

    with pytest.raises(DomainError) as refusal:
        new_item(owner, image_count=11)

    assert refusal.value.field == "images"
    assert not PortfolioItem.objects.exists()
    assert not PortfolioImage.objects.exists()
    assert stored_files() == set()


def test_an_item_without_a_title_is_refused():
    with pytest.raises(DomainError):
        new_item(UserFactory(), title=f"  {POP_ISOLATE}")

    assert not PortfolioItem.objects.exists()


def test_the_owner_edits_an_item_adding_and_removing_images():
    owner = UserFactory()
    item = new_item(owner, image_count=3)
    first, second, third = item.images.all()

    services.update_portfolio_item(
        owner=owner,
        item=item,
        title="متجر محدث",
        description="وصف جديد",
        link="",
        skills=list(Skill.objects.filter(slug="python")),
        completed_on=None,
        new_images=[clean_image(image_upload("new.png"))],
        removed_image_ids=[first.pk, third.pk],
    )

    state = item_state(item)
    assert state["title"] == "متجر محدث"
    assert state["completed_on"] is None
    assert state["skills"] == {Skill.objects.get(slug="python").pk}
    kept, added = state["images"]
    assert kept == (second.pk, 1)
    assert added[1] == 2  # after the last kept image, never on top of it


def test_an_edit_that_would_exceed_ten_images_is_refused_and_changes_nothing():
    owner = UserFactory()
    item = new_item(owner, image_count=9)
    before, files_before = item_state(item), stored_files()

    with pytest.raises(DomainError) as refusal:
        services.update_portfolio_item(
            owner=owner,
            item=item,
            title="عنوان جديد",
            description="",
            new_images=[clean_image(image_upload("a.png")), clean_image(image_upload("b.png"))],
        )

    assert refusal.value.field == "images"
    assert item_state(item) == before
    assert stored_files() == files_before


def test_removing_images_makes_room_for_new_ones():
    owner = UserFactory()
    item = new_item(owner, image_count=10)
    oldest = item.images.first()

    services.update_portfolio_item(
        owner=owner,
        item=item,
        title=item.title,
        description=item.description,
        new_images=[clean_image(image_upload("new.png"))],
        removed_image_ids=[oldest.pk],
    )

    assert item.images.count() == 10
    assert not item.images.filter(pk=oldest.pk).exists()


def test_someone_else_cannot_edit_an_item():
    owner, stranger = UserFactory(), UserFactory()
    item = new_item(owner, image_count=1)
    before = item_state(item)

    with pytest.raises(DomainError):
        services.update_portfolio_item(
            owner=stranger,
            item=item,
            title="اختُرق",
            description="",
            removed_image_ids=list(item.images.values_list("pk", flat=True)),
        )

    assert item_state(item) == before


def test_someone_else_cannot_delete_an_item(django_capture_on_commit_callbacks):
    owner, stranger = UserFactory(), UserFactory()
    item = new_item(owner, image_count=2)
    files_before = stored_files()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.delete_portfolio_item(owner=stranger, item=item)

    assert PortfolioItem.objects.filter(pk=item.pk).exists()
    assert PortfolioImage.objects.filter(item=item).count() == 2
    assert stored_files() == files_before


def test_deleting_an_item_removes_its_image_files_once_committed(django_capture_on_commit_callbacks):
    owner = UserFactory()
    item = new_item(owner, image_count=2)
    other = new_item(owner, image_count=1)
    other_files = {name for image in other.images.all() for name in (image.image.name, image.thumbnail.name)}

    with django_capture_on_commit_callbacks() as callbacks:
        services.delete_portfolio_item(owner=owner, item=item)
        assert len(stored_files()) == 6  # nothing removed before the commit
    for callback in callbacks:
        callback()

    assert not PortfolioItem.objects.filter(pk=item.pk).exists()
    assert not PortfolioImage.objects.filter(item_id=item.pk).exists()
    assert stored_files() == other_files
