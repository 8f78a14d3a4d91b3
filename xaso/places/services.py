"""Writes to places. Provinces and communes come from the national list; villages and a commune's
agency code are the commune's own data.

`places` sits below `accounts`, so these services do not resolve roles themselves: callers pass a
commune they have already authorised through `xaso.accounts.scoping` (the API does).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xaso.core.audit import audit_record
from xaso.core.errors import Conflict
from xaso.core.text import code_from_name
from xaso.core.validation import apply_changes, validated

from .models import Commune, Province, Village

VILLAGE_FIELDS = ("name", "kind", "households", "population")


def places_load() -> dict[str, int]:
    """Create or update every province and commune of `vietnam-provinces` (idempotent)."""
    from vietnam_provinces import Province as SourceProvince
    from vietnam_provinces import Ward as SourceWard

    created = {"provinces": 0, "communes": 0}
    with transaction.atomic():
        provinces = {}
        for source in SourceProvince.iter_all():
            province, was_created = Province.objects.update_or_create(
                code=f"{source.code.value:02d}",
                defaults={"name": source.name, "division_type": source.division_type.value},
            )
            provinces[source.code.value] = province
            created["provinces"] += was_created
        existing = set(Commune.objects.values_list("code", flat=True))
        new_communes, updates = [], []
        for source in SourceWard.iter_all():
            commune = Commune(
                code=f"{source.code.value:05d}",
                name=source.name,
                division_type=source.division_type.value,
                province=provinces[source.province_code.value],
            )
            (updates if commune.code in existing else new_communes).append(commune)
        Commune.objects.bulk_create(new_communes, batch_size=500)
        if updates:
            by_code = {c.code: c for c in updates}
            current = list(Commune.objects.filter(code__in=by_code))
            for commune in current:
                source = by_code[commune.code]
                commune.name = source.name
                commune.division_type = source.division_type
                commune.province = source.province
            Commune.objects.bulk_update(
                current, ["name", "division_type", "province"], batch_size=500
            )
        created["communes"] = len(new_communes)
        audit_record(actor=None, action="places.load", data=created)
    return created


def commune_agency_code_set(*, actor, commune: Commune, agency_code: str) -> Commune:
    with transaction.atomic():
        commune = Commune.objects.select_for_update().get(pk=commune.pk)
        old = commune.agency_code
        commune.agency_code = agency_code.strip().upper()
        validated(commune, exclude=["province"], validate_unique=False)
        commune.save(update_fields=["agency_code"])
        audit_record(
            actor=actor,
            action="commune.agency_code_set",
            object_type="commune",
            object_id=commune.code,
            commune_code=commune.code,
            data={"from": old, "to": commune.agency_code},
        )
    return commune


def village_create(
    *,
    actor,
    commune: Commune,
    name: str,
    code: str = "",
    kind: str = Village.Kind.THON,
    households: int | None = None,
    population: int | None = None,
) -> Village:
    name = " ".join(name.split())
    village = Village(
        commune=commune,
        name=name,
        code=code or code_from_name(name),
        kind=kind,
        households=households,
        population=population,
    )
    validated(village, exclude=["commune"], validate_unique=False)
    try:
        with transaction.atomic():
            village.save()
            audit_record(
                actor=actor,
                action="village.create",
                object_type="village",
                object_id=f"{commune.code}/{village.code}",
                commune_code=commune.code,
                data={field: getattr(village, field) for field in VILLAGE_FIELDS},
            )
    except IntegrityError as error:
        raise Conflict(
            _("This commune already has a village with that name or code."),
            code="village_exists",
        ) from error
    return village


def village_update(*, actor, village: Village, **changes) -> Village:
    if isinstance(changes.get("name"), str):
        changes["name"] = " ".join(changes["name"].split())
    try:
        with transaction.atomic():
            village = Village.objects.select_for_update().get(pk=village.pk)
            data = apply_changes(
                village, changes, fields=VILLAGE_FIELDS, exclude=["commune"], validate_unique=False
            )
            village.save(update_fields=list(changes))
            audit_record(
                actor=actor,
                action="village.update",
                object_type="village",
                object_id=f"{village.commune.code}/{village.code}",
                commune_code=village.commune.code,
                data=data,
            )
    except IntegrityError as error:
        raise Conflict(
            _("This commune already has a village with that name or code."),
            code="village_exists",
        ) from error
    return village
