from xaso.core.errors import NotFound
from xaso.core.text import by_name

from .models import Commune, Province, Village


def commune_with_villages(code: str) -> Commune:
    commune = (
        Commune.objects.select_related("province")
        .prefetch_related("villages")
        .filter(code=code)
        .first()
    )
    if commune is None:
        raise NotFound(code="commune_not_found")
    return commune


def commune_by_code(code: str) -> Commune:
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        raise NotFound(code="commune_not_found")
    return commune


def province_communes(code: str) -> list[Commune]:
    """The province's communes in Vietnamese order."""
    if not Province.objects.filter(code=code).exists():
        raise NotFound(code="province_not_found")
    return by_name(Commune.objects.filter(province__code=code).only("code", "name"))


def commune_villages(commune: Commune) -> list[Village]:
    """The commune's villages in Vietnamese order ("Thôn 2" before "Thôn 10")."""
    return by_name(Village.objects.filter(commune=commune))


def village_by_code(commune: Commune, code: str) -> Village:
    village = Village.objects.select_related("commune").filter(commune=commune, code=code).first()
    if village is None:
        raise NotFound(code="village_not_found")
    return village
