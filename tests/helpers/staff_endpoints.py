"""Every staff endpoint of the API, found from the OpenAPI schema (operations tagged "staff"),
with a valid request for the test world's commune.

A later issue that adds a staff endpoint adds its sample path values and body here; the isolation
test then fails until it does, so no staff endpoint escapes the "other commune gets 404" check.
"""

import re
from dataclasses import dataclass

from xaso.api import api

from .world import World

STAFF_TAG = "staff"

# Values for path parameters, by name, in the test world.
PATH_SAMPLES = {
    "code": lambda world: world.commune.code,
    "village_code": lambda world: world.village.code,
    "rule_kind": lambda world: "friday_same_day",
}

# A valid body per (method, path template); a fresh one each call, so creations do not collide.
BODY_SAMPLES = {
    ("PATCH", "/api/v1/communes/{code}"): lambda world: {"agency_code": "000.00.12.H56"},
    ("POST", "/api/v1/communes/{code}/villages"): lambda world: {"name": "Thôn Mới"},
    ("PATCH", "/api/v1/communes/{code}/villages/{village_code}"): lambda world: {"households": 120},
    ("PUT", "/api/v1/communes/{code}/calendar/office-hours"): lambda world: {
        "regimes": [{"periods": [{"start": "07:30", "end": "11:30"}]}]
    },
    ("PATCH", "/api/v1/communes/{code}/calendar/settings"): lambda world: {
        "same_day_cutoff": "15:30"
    },
    ("PATCH", "/api/v1/communes/{code}/calendar/service-rules/{rule_kind}"): lambda world: {
        "enabled": True
    },
}


@dataclass(frozen=True)
class StaffOperation:
    method: str
    path: str  # template, e.g. /api/v1/communes/{code}/villages

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, world: World) -> str:
        def value(match):
            name = match.group(1)
            if name not in PATH_SAMPLES:
                raise AssertionError(f"add a sample for path parameter {name!r} to PATH_SAMPLES")
            return PATH_SAMPLES[name](world)

        return re.sub(r"\{(\w+)\}", value, self.path)

    def body(self, world: World):
        if self.method == "GET":
            return None
        if (self.method, self.path) not in BODY_SAMPLES:
            raise AssertionError(f"add a valid body for {self} to BODY_SAMPLES")
        return BODY_SAMPLES[(self.method, self.path)](world)

    @property
    def writes(self) -> bool:
        return self.method != "GET"


def staff_operations() -> list[StaffOperation]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if STAFF_TAG in operation.get("tags", []):
                operations.append(StaffOperation(method.upper(), path))
    return sorted(operations, key=str)
