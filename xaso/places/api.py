"""Places: public lookups for pickers, and the first scoped staff endpoints (a commune's villages).

The staff routes are the pattern later staff endpoints copy: resolve the commune through the
scoping helper (404 for other communes, 403 for a role that may not), then call one service.
"""

from django.utils.translation import gettext_lazy as _
from ninja import Field, PatchDict, Router, Schema

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.text import by_name

from .models import Village
from .selectors import commune_villages, commune_with_villages, province_communes, village_by_code
from .services import commune_agency_code_set, village_create, village_update

public_router = Router(tags=["places"])
staff_router = Router(tags=["staff"])

ADMIN = [Role.COMMUNE_ADMIN]


class PlaceOut(Schema):
    code: str
    name: str


class CommunePublicOut(Schema):
    code: str
    name: str
    province: PlaceOut
    villages: list[PlaceOut]


class VillageOut(Schema):
    code: str
    name: str
    kind: str
    households: int | None
    population: int | None


class VillageIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    code: str = Field("", max_length=40, description=str(_("Made from the name when empty.")))
    kind: Village.Kind = Village.Kind.THON
    households: int | None = Field(None, ge=0)
    population: int | None = Field(None, ge=0)


class VillagePatchIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    kind: Village.Kind
    households: int | None = Field(None, ge=0)
    population: int | None = Field(None, ge=0)


class CommuneStaffOut(Schema):
    code: str
    name: str
    agency_code: str
    is_demo: bool
    province: PlaceOut


class CommunePatchIn(Schema):
    agency_code: str = Field(max_length=32)


@public_router.get("/places/communes/{code}", auth=None, response=CommunePublicOut)
def commune_detail(request, code: str):
    commune = commune_with_villages(code)
    return {
        "code": commune.code,
        "name": commune.name,
        "province": commune.province,
        "villages": by_name(commune.villages.all()),
    }


@public_router.get("/places/provinces/{code}/communes", auth=None, response=list[PlaceOut])
def communes_of_province(request, code: str):
    return province_communes(code)


@staff_router.get("/communes/{code}", response=CommuneStaffOut)
def commune_staff_detail(request, code: str):
    return staff_scope(request.user).commune(code)


@staff_router.patch("/communes/{code}", response=CommuneStaffOut)
def commune_update(request, code: str, payload: CommunePatchIn):
    commune = staff_scope(request.user).commune(code, roles=ADMIN)
    return commune_agency_code_set(
        actor=request.user, commune=commune, agency_code=payload.agency_code
    )


@staff_router.get("/communes/{code}/villages", response=list[VillageOut])
def villages_list(request, code: str):
    return commune_villages(staff_scope(request.user).commune(code))


@staff_router.post("/communes/{code}/villages", response={201: VillageOut})
def villages_create(request, code: str, payload: VillageIn):
    commune = staff_scope(request.user).commune(code, roles=ADMIN)
    return village_create(actor=request.user, commune=commune, **payload.dict())


@staff_router.patch("/communes/{code}/villages/{village_code}", response=VillageOut)
def villages_update(request, code: str, village_code: str, payload: PatchDict[VillagePatchIn]):
    commune = staff_scope(request.user).commune(code, roles=ADMIN)
    village = village_by_code(commune, village_code)
    return village_update(actor=request.user, village=village, **payload)
