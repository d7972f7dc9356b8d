"""The demo's content: who the people are, what they post, write, pay and say (Arabic, as on the site)."""


def paragraph(text: str) -> str:
    """Texts are wrapped here to fit the line length; each is stored as one paragraph."""
    return " ".join(text.split())
