"""Plain rows for account tests. Anything with rules goes through mostaql.accounts.services."""

import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mostaql.accounts import services
from mostaql.accounts.models import PortfolioItem, User

PASSWORD = "a-long-and-unusual-passphrase"


STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a profile: User.objects.create_user makes the profile, as sign-up does."""

    class Meta:
        model = User

    email = factory.Sequence(lambda number: f"person{number}@example.com")
    name = factory.Sequence(lambda number: f"مستخدم {number}")
    primary_role = User.Role.FREELANCER
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        user = model_class.objects.create_user(*args, **kwargs)
        if user.is_staff:
            # Every staff account signs in with a second factor (STAFF_TWO_FACTOR_REQUIRED).
            services.enroll_totp(user=user, secret=STAFF_TOTP_SECRET)
        return user


def verify_email(user: User) -> EmailAddress:
    """Mark the user's address verified, as allauth does after the link in the e-mail is followed."""
    address, _created = EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return address


class PortfolioItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortfolioItem

    profile = factory.LazyFunction(lambda: UserFactory().profile)
    title = factory.Sequence(lambda number: f"عمل رقم {number}")
    description = "وصف قصير لعمل أنجزته لعميل سعيد."


def image_upload(
    name: str = "photo.png", *, size: tuple[int, int] = (20, 20), image_format: str = "PNG"
) -> SimpleUploadedFile:
    """A tiny real picture, as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0f766e").save(buffer, image_format)
    content_type = "image/png" if image_format == "PNG" else f"image/{image_format.lower()}"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
