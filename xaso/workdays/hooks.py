"""Extension point: how `workdays` learns a procedure's terms without knowing the catalogue.

The catalogue registers its lookup in its AppConfig.ready(); the due-date API then accepts
`procedure=<code>` as well as an explicit limit.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from xaso.core.errors import InvalidInput

from .rules import ProcedureTerms

# (procedure code, commune code) -> the procedure's terms with the commune's local overrides;
# raises NotFound for an unknown or not offered procedure.
ProcedureTermsLookup = Callable[[str, str], ProcedureTerms]

_lookup: ProcedureTermsLookup | None = None


def register_procedure_terms(lookup: ProcedureTermsLookup) -> None:
    global _lookup
    _lookup = lookup


def procedure_terms(code: str, commune_code: str) -> ProcedureTerms:
    if _lookup is None:
        raise InvalidInput(_("The procedure catalogue is not installed."), code="no_catalog")
    return _lookup(code, commune_code)
