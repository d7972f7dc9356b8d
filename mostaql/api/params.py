"""Input types every router shares: bounded ids and text that the database can store."""

from typing import Annotated

from django.utils.translation import gettext_lazy as _
from ninja import Path
from pydantic import AfterValidator, Field, Strict

# Beyond 2**53 an id is not even exact in JavaScript; it also keeps SQLite's integers from overflowing.
MAX_ID = 2**53


def path_id(description: str = "The object's id."):
    """`project_id: int = path_id()` — an id in the path, 1 … 2**53 (anything else is a 422)."""
    return Path(..., ge=1, le=MAX_ID, description=description)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _storable(text: str) -> str:
    # NUL is refused by PostgreSQL, and lone surrogates cannot be encoded: neither is text anyway.
    if "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        raise ValueError(str(_("This text contains characters that are not allowed.")))
    return text


def Text(*, min_length: int = 0, max_length: int, description: str = ""):
    """A string of bounded length that the database can store."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length, description=description),
        AfterValidator(_storable),
    ]


# Body numbers are strict: "5", 5.0 and true are not 5 (query and path values stay text-parsed).
BodyInt = Annotated[int, Strict()]

Slug = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9_-]+$")]
