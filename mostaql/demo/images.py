"""The demo's pictures, drawn here so that the demo ships no binary files and needs no network."""

import io
import random

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from mostaql.accounts.models import User
from mostaql.core.uploads import CleanFile, clean_deliverable, clean_file

PALETTES = [
    ("#0f766e", "#99f6e4"),
    ("#7c3aed", "#ddd6fe"),
    ("#b45309", "#fde68a"),
    ("#be123c", "#fecdd3"),
    ("#1d4ed8", "#bfdbfe"),
    ("#15803d", "#bbf7d0"),
]


def abstract_picture(seed: int, size: tuple[int, int]) -> SimpleUploadedFile:
    """An abstract picture drawn here, so the demo ships no binary files and needs no network."""
    rng = random.Random(seed)
    dark, light = rng.choice(PALETTES)
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(7):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(width // 10, width // 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice([dark, "#ffffff", light]))
    draw.rectangle((0, height * 3 // 4, width, height), fill=dark)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"demo-{seed}.png", buffer.getvalue(), content_type="image/png")


def _page(rng: random.Random) -> Image.Image:
    """A document's first page: a coloured heading, then lines of "text"."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    colour = rng.choice(["#0f766e", "#7c3aed", "#b45309", "#1d4ed8"])
    draw.rectangle((0, 0, 595, 110), fill=colour)
    draw.rectangle((350, 40, 545, 60), fill="white")
    top = 150
    for _ in range(rng.randrange(14, 22)):
        if rng.random() < 0.15:
            top += 20  # a paragraph break
        draw.rectangle((rng.randrange(50, 200), top, 545, top + 9), fill="#cbd5e1")
        top += 26
        if top > 790:
            break
    return page


def _picture(rng: random.Random) -> Image.Image:
    """A render, a screenshot or a design preview: shapes in one palette."""
    dark, light = rng.choice([("#0f766e", "#ccfbf1"), ("#7c2d12", "#fde68a"), ("#1e3a8a", "#dbeafe")])
    picture = Image.new("RGB", (1200, 800), light)
    draw = ImageDraw.Draw(picture)
    for _ in range(9):
        x, y = rng.randrange(1200), rng.randrange(800)
        width, height = rng.randrange(80, 400), rng.randrange(60, 300)
        draw.rectangle((x, y, x + width, y + height), fill=rng.choice([dark, "#ffffff", "#94a3b8"]))
    draw.rectangle((0, 700, 1200, 800), fill=dark)
    return picture


def attachment(name: str) -> CleanFile:
    """A delivery's file, passed through the same checks as an uploaded one."""
    rng = random.Random(name)
    buffer = io.BytesIO()
    if name.endswith(".pdf"):
        _page(rng).save(buffer, "PDF")
        content_type = "application/pdf"
    else:
        _picture(rng).save(buffer, "JPEG", quality=80)
        content_type = "image/jpeg"
    upload = SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)
    return clean_deliverable(upload)


def identity_document(person: User) -> CleanFile:
    """A small picture of an identity card, marked as a specimen, checked like the identity form's."""
    card = Image.new("RGB", (480, 300), "#f1f5f9")
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 480, 56), fill="#0f766e")
    draw.text((16, 22), "DEMO IDENTITY CARD - SPECIMEN, NOT A REAL DOCUMENT", fill="white")
    draw.rectangle((24, 80, 144, 236), fill="#cbd5e1")
    draw.ellipse((54, 100, 114, 160), fill="#94a3b8")
    draw.rectangle((44, 170, 124, 236), fill="#94a3b8")
    for row in range(5):
        draw.rectangle((170, 90 + row * 30, 440 - row * 30, 102 + row * 30), fill="#cbd5e1")
    draw.text((170, 256), f"No. {person.pk:09d}", fill="#334155")
    buffer = io.BytesIO()
    card.save(buffer, "PNG")
    upload = SimpleUploadedFile("identity-card.png", buffer.getvalue(), content_type="image/png")
    return clean_file(upload, kinds={"image", "pdf"})


# --- Service covers: a category's motif, in its colours, with the service's words in Arabic ------------

SERVICE_PALETTES = {
    "programming": ("#0f172a", "#38bdf8", "#e0f2fe"),
    "design": ("#7c3aed", "#f472b6", "#f5f3ff"),
    "writing-translation": ("#0f766e", "#fbbf24", "#f0fdfa"),
    "marketing-sales": ("#b45309", "#22c55e", "#fffbeb"),
    "engineering-architecture": ("#1e3a8a", "#94a3b8", "#eff6ff"),
    "business-consulting": ("#334155", "#14b8a6", "#f8fafc"),
    "training-education": ("#15803d", "#facc15", "#f0fdf4"),
    "video-audio": ("#be123c", "#fb923c", "#fff1f2"),
    "data-entry-support": ("#4338ca", "#a5b4fc", "#eef2ff"),
}
_FONT = settings.BASE_DIR / "static" / "fonts" / "ibm-plex-sans-arabic-arabic-700-normal.woff2"


def _motif(draw: ImageDraw.ImageDraw, category: str, rng: random.Random, dark: str, accent: str) -> None:
    """Shapes that say the category at a glance: code, a logo sketch, a page, a chart, a plan…"""
    if category == "programming":
        draw.rounded_rectangle((120, 150, 680, 470), radius=18, fill=dark)
        for row in range(8):
            indent = rng.choice([0, 0, 40, 80])
            width = rng.randrange(120, 380)
            draw.rounded_rectangle(
                (160 + indent, 190 + row * 34, 160 + indent + width, 204 + row * 34),
                radius=6,
                fill=rng.choice([accent, "#94a3b8", "#f8fafc"]),
            )
    elif category == "design":
        draw.ellipse((170, 170, 430, 430), fill=dark)
        draw.polygon([(380, 420), (520, 180), (660, 420)], fill=accent)
        draw.ellipse((250, 250, 350, 350), fill="#ffffff")
    elif category in ("writing-translation", "data-entry-support"):
        for offset, colour in ((40, accent), (0, "#ffffff")):
            draw.rounded_rectangle(
                (240 + offset, 120 - offset // 2, 560 + offset, 500 - offset // 2),
                radius=12,
                fill=colour,
                outline=dark,
                width=4,
            )
        for row in range(9):
            draw.rectangle((280, 170 + row * 34, 280 + rng.randrange(160, 240), 180 + row * 34), fill=dark)
    elif category in ("marketing-sales", "business-consulting"):
        draw.line((120, 480, 680, 480), fill=dark, width=6)
        for index in range(6):
            height = 60 + index * 50 + rng.randrange(0, 40)
            draw.rounded_rectangle(
                (150 + index * 88, 480 - height, 210 + index * 88, 480),
                radius=8,
                fill=accent if index % 2 else dark,
            )
    elif category == "engineering-architecture":
        for index in range(5):
            draw.line((140 + index * 130, 130, 140 + index * 130, 480), fill=accent, width=2)
            draw.line((140, 130 + index * 87, 660, 130 + index * 87), fill=accent, width=2)
        draw.polygon([(200, 470), (200, 280), (400, 160), (600, 280), (600, 470)], outline=dark, width=8)
        draw.rectangle((360, 360, 440, 470), fill=dark)
    elif category == "training-education":
        draw.rounded_rectangle((130, 140, 670, 440), radius=14, fill=dark)
        draw.polygon([(400, 470), (250, 520), (400, 570), (550, 520)], fill=accent)
        for row in range(4):
            draw.rectangle(
                (180, 190 + row * 50, 180 + rng.randrange(200, 420), 200 + row * 50), fill="#f8fafc"
            )
    else:  # video-audio
        draw.rounded_rectangle((140, 150, 660, 450), radius=24, fill=dark)
        draw.polygon([(360, 220), (360, 380), (480, 300)], fill="#ffffff")
        for index in range(12):
            height = rng.randrange(10, 60)
            draw.rectangle((170 + index * 40, 500 - height, 190 + index * 40, 500), fill=accent)


def service_cover(seed: int, category: str, words: str, variant: int = 0) -> SimpleUploadedFile:
    """A service's gallery picture (800×600): its category's motif, and on the first picture its words
    in Arabic, set right to left in the site's own typeface."""
    rng = random.Random(seed * 10 + variant)
    dark, accent, light = SERVICE_PALETTES.get(category, SERVICE_PALETTES["design"])
    image = Image.new("RGB", (800, 600), light)
    draw = ImageDraw.Draw(image)
    for _ in range(5):  # soft circles behind
        x, y, r = rng.randrange(800), rng.randrange(600), rng.randrange(60, 200)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_blend(light, accent, 0.18))
    _motif(draw, category, rng, dark, accent)
    if variant == 0:
        draw.rectangle((0, 500, 800, 600), fill=dark)
        font = ImageFont.truetype(str(_FONT), 46, layout_engine=ImageFont.Layout.RAQM)
        draw.text((760, 550), words, font=font, fill="#ffffff", anchor="rm", direction="rtl")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"service-{seed}-{variant}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _blend(first: str, second: str, share: float) -> str:
    a = [int(first[index : index + 2], 16) for index in (1, 3, 5)]
    b = [int(second[index : index + 2], 16) for index in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))
