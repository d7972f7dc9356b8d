"""The demo's pictures, drawn here so that the demo ships no binary files and needs no network."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from mostaql.accounts.models import User
from mostaql.core.uploads import CleanFile, clean_file

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
    return clean_file(upload, kinds={"image", "pdf", "office", "zip"})


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
