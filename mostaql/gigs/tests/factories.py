"""Services through the services (publish, approve), as in the product; images made with Pillow."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mostaql.accounts.models import User
from mostaql.catalog.models import Category, Skill
from mostaql.core.uploads import clean_image
from mostaql.gigs import services
from mostaql.gigs.models import Service
from mostaql.projects.tests.factories import freelancer_user, moderator

TITLE = "سأصمم لك شعاراً احترافياً لمشروعك"
DESCRIPTION = "تصميم شعار احترافي بثلاثة نماذج مختلفة، مع تعديلات حتى ترضى، وملفات عالية الدقة للطباعة والويب."
INSTRUCTIONS = "أرسل لي اسم المشروع ومجاله والألوان التي تفضلها وأي شعارات تعجبك."


def image_upload(name: str = "cover.png", color=(40, 120, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def clean_images(count: int = 1):
    return [clean_image(image_upload(f"image-{number}.png")) for number in range(count)]


def a_category() -> Category:
    return Category.objects.order_by("pk").first()


def some_skills(count: int = 2) -> list[Skill]:
    return list(a_category().skills.order_by("pk")[:count])


def published_service(
    seller: User | None = None,
    *,
    title: str = TITLE,
    description: str = DESCRIPTION,
    price_cents: int = 500,
    delivery_days: int = 2,
    max_quantity: int = 3,
    upgrades=(
        services.UpgradeSpec("ملفات المصدر المفتوحة", 1000, 1),
        services.UpgradeSpec("تسليم سريع خلال يوم", 500, 0),
    ),
    images: int = 1,
    category: Category | None = None,
    skills=None,
) -> Service:
    """A service as a seller sends it: waiting for review."""
    return services.publish_service(
        seller=seller or freelancer_user(),
        title=title,
        description=description,
        category=category or a_category(),
        skills=skills if skills is not None else some_skills(),
        price_cents=price_cents,
        delivery_days=delivery_days,
        instructions=INSTRUCTIONS,
        max_quantity=max_quantity,
        upgrades=list(upgrades),
        images=clean_images(images),
    )


def approved_service(seller: User | None = None, **kwargs) -> Service:
    service = published_service(seller, **kwargs)
    return services.approve_service(moderator=moderator(), service=service)
