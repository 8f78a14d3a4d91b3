from django.db.models import Prefetch, QuerySet

from xaso.core.errors import NotFound

from .models import Commune, Province, Village


def commune_with_villages(code: str) -> Commune:
    commune = (
        Commune.objects.select_related("province")
        .prefetch_related(Prefetch("villages", queryset=Village.objects.order_by("name")))
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


def province_communes(code: str) -> QuerySet[Commune]:
    if not Province.objects.filter(code=code).exists():
        raise NotFound(code="province_not_found")
    return Commune.objects.filter(province__code=code).order_by("name")


def commune_villages(commune: Commune) -> QuerySet[Village]:
    return Village.objects.filter(commune=commune).order_by("name")


def village_by_code(commune: Commune, code: str) -> Village:
    village = Village.objects.select_related("commune").filter(commune=commune, code=code).first()
    if village is None:
        raise NotFound(code="village_not_found")
    return village
