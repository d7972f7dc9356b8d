"""Tiny, real samples of every kind of file a deliverable may be, made in memory (no fixtures on disk).

Each is what the format's own tools write at its start: enough for recognition by content, which is
all that is checked for kinds we keep without decoding (video, audio, fonts, design files)."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture(image_format: str = "PNG", *, size=(48, 32), mode: str = "RGB", color="teal") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, image_format)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG of width×height in one colour: a few hundred KB on disk for millions of pixels."""
    row = b"\x00" + b"\x00" * width  # filter byte, then one greyscale byte a pixel
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def font(signature: bytes) -> bytes:
    """An sfnt header: the version, 10 tables, and a first table record named OS/2."""
    return signature + struct.pack(">HHHH", 10, 128, 3, 32) + b"OS/2" + b"\x00" * 12 + b"\x00" * 64


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    b'<circle cx="32" cy="32" r="30" fill="#0f766e"/>'
    b'<text x="20" y="38">\xd8\xb4\xd8\xb9\xd8\xa7\xd8\xb1</text>'
    b"</svg>\n"
)
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
SVG_WITH_HANDLER = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9" onload="alert(1)"/></svg>'
)
HTML_PAGE = b"<!DOCTYPE html><html><body><script>fetch('/wallet/')</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program"
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
SHELL_SCRIPT = b"#!/bin/sh\nrm -rf ~\n"
RANDOM_BYTES = bytes(range(256)) * 2

ACCEPTED = {
    # name: (content, kind, stored extension, has a preview)
    "logo.png": (picture("PNG"), "image", "png", True),
    "photo.jpg": (picture("JPEG"), "image", "jpg", True),
    "loop.gif": (picture("GIF", mode="P", color=3), "image", "gif", True),
    "banner.webp": (picture("WEBP"), "image", "webp", True),
    "شعار.svg": (SVG, "svg", "svg", False),
    "brief.pdf": (PDF, "pdf", "pdf", False),
    "clip.mp4": (
        b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 32,
        "video",
        "mp4",
        False,
    ),
    "clip.mov": (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 32, "video", "mov", False),
    "clip.webm": (
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 32,
        "video",
        "webm",
        False,
    ),
    "voice.mp3": (
        b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 60,
        "audio",
        "mp3",
        False,
    ),
    "voice-frames.mp3": (b"\xff\xfb\x90\x64" + b"\x00" * 60, "audio", "mp3", False),
    "voice.wav": (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + b"\x00" * 40, "audio", "wav", False),
    "voice.ogg": (b"OggS\x00\x02" + b"\x00" * 60, "audio", "ogg", False),
    "voice.m4a": (b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom" + b"\x00" * 32, "audio", "m4a", False),
    "episode.srt": (
        b"1\n00:00:01,000 --> 00:00:03,500\n\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\n",
        "subtitles",
        "srt",
        False,
    ),
    "episode.vtt": (b"WEBVTT\n\n00:01.000 --> 00:03.500\nHello\n", "subtitles", "vtt", False),
    "artwork.ai": (b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n% Adobe Illustrator\n%%EOF\n", "design", "ai", False),
    "artwork.eps": (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "design", "eps", False),
    "layers.psd": (b"8BPS\x00\x01" + b"\x00" * 6 + b"\x00\x03" + b"\x00" * 40, "design", "psd", False),
    "naskh.ttf": (font(b"\x00\x01\x00\x00"), "font", "ttf", False),
    "naskh.otf": (font(b"OTTO"), "font", "otf", False),
    "naskh.woff": (b"wOFF\x00\x01\x00\x00" + b"\x00" * 40, "font", "woff", False),
    "naskh.woff2": (b"wOF2\x00\x01\x00\x00" + b"\x00" * 40, "font", "woff2", False),
    "notes.txt": ("ملاحظات التسليم\nthe second line\n".encode(), "text", "txt", False),
    "figures.csv": (b"month,amount\n1,250\n", "text", "txt", False),
    "cv.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "office", "doc", False),
    "report.docx": (
        zip_of({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}),
        "office",
        "docx",
        False,
    ),
    "sources.zip": (zip_of({"logo/logo.svg": SVG, "readme.txt": b"read me"}), "zip", "zip", False),
}


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
