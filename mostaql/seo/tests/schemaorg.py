"""Checks structured data against a subset of the schema.org vocabulary shipped beside this file.

No network: the vocabulary (types with their parents, properties with their domains and ranges) is
the JSON file next to this module, copied from schema.org for the types the site uses.
"""

import json
import re
from pathlib import Path

VOCABULARY = json.loads((Path(__file__).with_name("schemaorg_vocabulary.json")).read_text())
TYPES: dict[str, list[str]] = VOCABULARY["types"]
PROPERTIES: dict[str, dict[str, list[str]]] = VOCABULARY["properties"]
LITERAL_STRING_TYPES = {"Text", "URL", "Date", "DateTime", "Language", "DefinedTerm"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def ancestors(type_name: str) -> set[str]:
    found, waiting = set(), [type_name]
    while waiting:
        current = waiting.pop()
        if current not in found:
            found.add(current)
            waiting.extend(TYPES.get(current, []))
    return found


def _check_value(prop: str, value, path: str, errors: list[str]) -> None:
    allowed = set(PROPERTIES[prop]["range"])
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(prop, item, f"{path}[{index}]", errors)
    elif isinstance(value, dict):
        errors.extend(validate(value, path=path, expected=allowed))
    elif isinstance(value, bool):
        errors.append(f"{path}: a boolean is not in the range of {prop}")
    elif isinstance(value, int | float):
        if not allowed & {"Number", "Text"}:
            errors.append(f"{path}: a number is not in the range of {prop} ({sorted(allowed)})")
    elif isinstance(value, str):
        if not allowed & LITERAL_STRING_TYPES:
            errors.append(f"{path}: text is not in the range of {prop} ({sorted(allowed)})")
        elif allowed <= {"Date", "DateTime"} and not _DATE.match(value):
            errors.append(f"{path}: {value!r} is not an ISO 8601 date")
        elif not value.strip():
            errors.append(f"{path}: empty text")
    else:
        errors.append(f"{path}: {type(value).__name__} is not a JSON-LD value")


def validate(node: dict, *, path: str = "$", expected: set[str] | None = None) -> list[str]:
    """Every problem found in one JSON-LD node and its children; an empty list when it is valid."""
    errors: list[str] = []
    if path == "$" and node.get("@context") != "https://schema.org":
        errors.append("$: @context must be https://schema.org")
    type_name = node.get("@type")
    if type_name not in TYPES:
        return [*errors, f"{path}: unknown type {type_name!r}"]
    lineage = ancestors(type_name)
    if expected is not None and not lineage & expected:
        errors.append(f"{path}: a {type_name} is not in the expected range {sorted(expected)}")
    for prop, value in node.items():
        if prop.startswith("@"):
            continue
        if prop not in PROPERTIES:
            errors.append(f"{path}.{prop}: not a schema.org property")
            continue
        if not lineage & set(PROPERTIES[prop]["domain"]):
            errors.append(f"{path}.{prop}: not a property of {type_name}")
            continue
        _check_value(prop, value, f"{path}.{prop}", errors)
    return errors


def structured_data_in(page: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
    ]
