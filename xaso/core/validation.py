"""Model validation as domain errors: a service checks a row before saving it, and bad input
becomes a 400 with every field's message, never a 500."""

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import InvalidInput


def validated(instance, *, exclude: Iterable[str] = (), validate_unique: bool = True) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=validate_unique)
    except ValidationError as error:
        raise InvalidInput(
            _("Some of the data sent is not valid."), details={"fields": error.message_dict}
        ) from error


def known_fields_only(changes: Mapping, allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise InvalidInput(
            details={"fields": {name: [_("This field cannot be changed.")] for name in unknown}}
        )


def apply_changes(
    instance,
    changes: Mapping,
    *,
    fields: Sequence[str],
    exclude: Iterable[str] = (),
    validate_unique: bool = True,
) -> dict:
    """Set `changes` (only names among `fields`) on `instance` and validate it. Returns what the
    audit row records: the fields before and after, `{"from": {...}, "to": {...}}`."""
    known_fields_only(changes, fields)
    before = {field: getattr(instance, field) for field in fields}
    for field, value in changes.items():
        setattr(instance, field, value)
    validated(instance, exclude=exclude, validate_unique=validate_unique)
    return {"from": before, "to": {field: getattr(instance, field) for field in fields}}
