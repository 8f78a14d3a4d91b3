"""Who the applicant is, in one place for the portal, the desk, the community workspace and the API.

- The **applicant** (người yêu cầu, người đi khai) asks for the procedure and signs the declaration.
  A form names them as its first `person` field (`applicant`, `declarant`, `signer`…); the form's
  first phone and first address are theirs too.
- The **subject** of the act may be someone else: the child whose birth is registered, the deceased,
  the person whose extract is copied. The subject is only an answer of the form; nothing but the
  result document reads it.
- The **applicant block** (`Dossier.applicant`: name, ID, birth, sex, phone, address, village) is
  the copy of the applicant that notices, the search, lists and receipts read. Online it is taken
  from the answers (`applicant_from_answers`); at the desk the officer types it or scans the chip ID
  card, and what is left blank is taken from the answers the same way (`applicant_completed`).
  `applicant_clean` checks it whatever the channel.
- The **filer** typed and sent the dossier: the applicant themselves online (their account is
  `Dossier.applicant_user` when signed in), or an officer writing for them, or a community member
  (`Dossier.written_by`; `filer_links`). A filer is never taken for the applicant.
"""

import re
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from xaso.accounts.personal_id import personal_id_facts
from xaso.core.errors import InvalidInput
from xaso.core.text import phone_digits
from xaso.places.models import Commune, Village

from . import workflow
from .models import Channel

APPLICANT_PARTS = (
    "full_name",
    "personal_id",
    "date_of_birth",
    "sex",
    "phone",
    "address",
    "village",
)
PERSON_PARTS = ("full_name", "personal_id", "date_of_birth", "sex")
PHONE = re.compile(r"0\d{9}")


class AnswersInvalid(InvalidInput):
    code = "invalid_answers"


def _first_of_each_type(form: dict) -> dict[str, str]:
    """Field type -> the name of the form's first field of that type."""
    first: dict[str, str] = {}
    for spec in form.get("fields", []):
        first.setdefault(spec["type"], spec["name"])
    return first


def applicant_person_field(form: dict) -> str | None:
    """The form's field that is the applicant in person (its first person), if it has one."""
    return _first_of_each_type(form).get("person")


def applicant_fields(form: dict) -> set[str]:
    """The fields that hold the applicant's own details: their person, phone and address (a
    browser may fill these in from its saved details; never the subject's)."""
    first = _first_of_each_type(form)
    return {first[kind] for kind in ("person", "phone", "address") if kind in first}


def applicant_from_answers(form: dict, answers: dict, commune_code: str) -> dict:
    """The applicant block from a form's (clean) answers. The village is kept only when the
    address is in the receiving commune: a village code means nothing in another commune."""
    first = _first_of_each_type(form)
    person = answers.get(first.get("person", "")) or {}
    address = answers.get(first.get("address", "")) or {}
    same_commune = bool(commune_code) and address.get("commune") == commune_code
    return {
        **{part: person.get(part, "") for part in PERSON_PARTS},
        "phone": answers.get(first.get("phone", "")) or "",
        "address": address.get("detail", ""),
        "village": address.get("village", "") if same_commune else "",
    }


def applicant_completed(applicant: dict, form: dict, answers: dict, commune_code: str) -> dict:
    """The block as typed at the desk, each part left blank taken from the answers."""
    derived = applicant_from_answers(form, answers, commune_code)
    return {part: applicant.get(part) or derived.get(part, "") for part in APPLICANT_PARTS}


def applicant_clean(data: dict, *, phone_required: bool, commune: Commune) -> dict:
    """The applicant block, checked part by part (errors keyed `applicant.<part>`, as the form's
    are by field name); AnswersInvalid with every error at once."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    name = " ".join(str(data.get("full_name") or "").split())
    if not name or len(name) > 100:
        errors["applicant.full_name"] = [_("Enter the full name.")]
    clean["full_name"] = name
    number = re.sub(r"\s", "", str(data.get("personal_id") or ""))
    facts = personal_id_facts(number) if number else None
    if number and facts is None:
        errors["applicant.personal_id"] = [_("The personal ID number has exactly 12 digits.")]
    clean["personal_id"] = number
    born = data.get("date_of_birth") or ""
    try:
        clean["date_of_birth"] = date.fromisoformat(born).isoformat() if born else ""
    except ValueError:
        errors["applicant.date_of_birth"] = [_("Enter a real date as YYYY-MM-DD.")]
    sex = data.get("sex") or ""
    if sex not in ("", "male", "female"):
        errors["applicant.sex"] = [_("Choose male or female.")]
    clean["sex"] = sex
    phone = phone_digits(str(data.get("phone") or ""))
    if (phone or phone_required) and not PHONE.fullmatch(phone):
        errors["applicant.phone"] = [_("Enter a phone number of 10 digits starting with 0.")]
    clean["phone"] = phone
    clean["address"] = " ".join(str(data.get("address") or "").split())[:300]
    village = str(data.get("village") or "")
    if village and not Village.objects.filter(commune=commune, code=village).exists():
        errors["applicant.village"] = [_("This village is not in that commune.")]
    clean["village"] = village
    # The language the citizen used, so that messages reach them in it.
    clean["language"] = translation.get_language() or settings.LANGUAGE_CODE
    if errors:
        raise AnswersInvalid(details={"fields": errors})
    return clean


def filer_links(actor, *, kind: str, channel: str) -> dict:
    """The dossier's links to who filed it: the citizen's own account (`applicant_user`) when the
    applicant files signed in, the officer or community member who wrote it (`written_by`)."""
    signed_in = actor is not None and actor.is_authenticated
    return {
        "applicant_user": actor if kind == workflow.CITIZEN and signed_in else None,
        "written_by": actor if channel in (Channel.ASSISTED, Channel.COMMUNITY) else None,
    }
