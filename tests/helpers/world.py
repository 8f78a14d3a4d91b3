"""The standard test world: enough communes, provinces and roles for isolation checks."""

from dataclasses import dataclass

from xaso.accounts.models import Role, User
from xaso.accounts.services import membership_grant
from xaso.places.models import Commune, Province, Village

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    province: Province
    other_province: Province
    commune: Commune  # the commune under test
    other_commune: Commune  # same province, other commune: isolation
    far_commune: Commune  # other province
    village: Village
    users: dict[str, User]  # role -> user of `commune`; plus "other_*", "far_viewer", "citizen"

    def user(self, key: str) -> User:
        return self.users[key]


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, **extra)


def build_world() -> World:
    province = Province.objects.create(code="66", name="Đắk Lắk")
    other_province = Province.objects.create(code="56", name="Khánh Hòa")
    commune = Commune.objects.create(code="T-A", name="Xã Thử A", province=province)
    other = Commune.objects.create(code="T-B", name="Xã Thử B", province=province)
    far = Commune.objects.create(code="T-C", name="Xã Thử C", province=other_province)
    village = Village.objects.create(commune=commune, code="loc-tan", name="Thôn Lộc Tân")
    Village.objects.create(commune=other, code="thon-1", name="Thôn 1")
    users = {}
    for role in Role:
        if role == Role.PROVINCE_VIEWER:
            continue
        users[role.value] = make_user(role.value, full_name=f"Cán bộ {role.value}")
        membership_grant(actor=None, user=users[role.value], role=role, commune=commune)
        users[f"other_{role.value}"] = make_user(f"other-{role.value}")
        membership_grant(actor=None, user=users[f"other_{role.value}"], role=role, commune=other)
    users["province_viewer"] = make_user("province")
    membership_grant(
        actor=None, user=users["province_viewer"], role=Role.PROVINCE_VIEWER, province=province
    )
    users["far_viewer"] = make_user("far-province")
    membership_grant(
        actor=None, user=users["far_viewer"], role=Role.PROVINCE_VIEWER, province=other_province
    )
    users["citizen"] = make_user("citizen")
    return World(province, other_province, commune, other, far, village, users)
