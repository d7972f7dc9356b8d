"""Services through the services (publish, approve), as in the product; images made with Pillow."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mostaql.accounts.models import User
from mostaql.catalog.models import Category, Skill
from mostaql.core.search.engine import remember_words
from mostaql.core.uploads import clean_image
from mostaql.gigs import services
from mostaql.gigs.models import Service, ServiceImage, Upgrade
from mostaql.projects.tests.factories import freelancer_user, moderator

TITLE = "سأصمم لك شعاراً احترافياً لمشروعك"
DESCRIPTION = (
    "تصميم شعار احترافي بثلاثة نماذج مختلفة، مع تعديلات حتى ترضى، وملفات عالية الدقة للطباعة والويب."
)
TWO_UPGRADES = (
    services.UpgradeSpec("ملفات المصدر المفتوحة", 1000, 1),
    services.UpgradeSpec("تسليم سريع خلال يوم", 500, 0),
)
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
    upgrades=TWO_UPGRADES,
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


_PIXEL = None


def _small_png() -> bytes:
    global _PIXEL
    if _PIXEL is None:
        buffer = io.BytesIO()
        Image.new("RGB", (8, 6), (200, 80, 40)).save(buffer, format="PNG")
        _PIXEL = buffer.getvalue()
    return _PIXEL


def service_rows(count: int, *, seller: User | None = None, images: int = 1, **fields) -> list[Service]:
    """Plain approved rows for lists and query counts (the services' rules are tested through them
    elsewhere): indexed for search as the services index them, each with `images` small pictures."""
    seller = seller or freelancer_user()
    skills = some_skills(1)
    rows = []
    for number in range(count):
        service = Service(
            seller=seller,
            title=fields.get("title", f"خدمة تجريبية رقم {number} لتصميم الشعارات"),
            description=fields.get("description", DESCRIPTION),
            category=fields.get("category") or a_category(),
            price_cents=fields.get("price_cents", 500),
            delivery_days=fields.get("delivery_days", 2),
            instructions=INSTRUCTIONS,
            max_quantity=2,
            status=fields.get("status", Service.Status.APPROVED),
            published_at=timezone.now(),
        )
        indexed = services.index_service(service, skills)
        service.save()
        service.skills.set(skills)
        remember_words(indexed)
        Upgrade.objects.create(service=service, title="ملفات المصدر", price_cents=1000, extra_days=1)
        for position in range(images):
            ServiceImage.objects.create(
                service=service,
                image=ContentFile(_small_png(), name=f"s{service.pk}-{position}.png"),
                thumbnail=ContentFile(_small_png(), name=f"s{service.pk}-{position}-thumb.png"),
                width=8,
                height=6,
                position=position,
            )
        rows.append(service)
    return rows
