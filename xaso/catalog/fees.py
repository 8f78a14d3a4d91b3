"""Fees (phí, lệ phí) as data, and the one pure function that computes a fee.

A procedure's fee schedule is JSON: ordered rules, the first whose `when` condition holds on the
form answers applies; plus the exemption categories the procedure allows. Rule kinds:
- `free`
- `flat`: `amount` per case, or per copy with `per: "copy"` and the answer named by `quantity_field`
- `per_page`: `rate` per page, `reduced_rate` from page `reduced_from_page`, at most `cap_per_copy`
  per copy; pages and copies from the answers named by `pages_field` and `copies_field`
- `provincial`: the amount the province set under `key` (e.g. late birth registration); unknown
  until the province's rate is entered, and then the quote says so instead of inventing a number.
Any rule may carry `channels`: it applies only to dossiers that came in through one of them (the
residence fees of Circular 75/2022/TT-BTC are lower online, DOMAIN.md §3).

An exemption only lifts a fee that is due: where the rule that applies is free (on-time birth and
death registration, for everyone), a claimed exemption is ignored and no proof is asked.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .forms import condition_errors, condition_holds

RULE_KINDS = frozenset({"free", "flat", "per_page", "provincial"})
# The intake channels a rule may name (the values of dossiers.models.Channel).
CHANNELS = ("online", "counter", "assisted", "community", "post")
_RULE_KEYS = {
    "free": set(),
    "flat": {"amount", "per", "quantity_field"},
    "per_page": {
        "rate",
        "reduced_rate",
        "reduced_from_page",
        "cap_per_copy",
        "pages_field",
        "copies_field",
    },
    "provincial": {"key"},
}


class FeeError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FeeQuote:
    amount: int | None  # None: a provincial rate that has not been entered yet
    rule: str  # the kind of rule that applied, or "exempt"
    exemption: str | None = None
    evidence: str = ""  # what the applicant must show for the exemption
    provincial_key: str | None = None
    breakdown: dict[str, int] = field(default_factory=dict)


def fee_schedule_errors(
    schedule: Any, *, field_names: Iterable[str], exemption_codes: Iterable[str]
) -> list[str]:
    """Every problem of a fee schedule, as text lines (empty: valid)."""
    if not isinstance(schedule, dict) or not isinstance(schedule.get("rules"), list):
        return ["fees: must be an object with a list of rules"]
    names, codes = set(field_names), set(exemption_codes)
    errors = []
    if not schedule["rules"]:
        errors.append("fees: at least one rule (use {'kind': 'free'} for no fee)")
    for position, rule in enumerate(schedule["rules"], start=1):
        where = f"fees.rules[{position}]"
        kind = rule.get("kind") if isinstance(rule, dict) else None
        if kind not in RULE_KINDS:
            errors.append(f"{where}: kind must be one of {sorted(RULE_KINDS)}")
            continue
        unknown = set(rule) - _RULE_KEYS[kind] - {"kind", "when", "channels"}
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        amounts = {"flat": ["amount"], "per_page": ["rate", "reduced_rate", "cap_per_copy"]}
        for key in amounts.get(kind, []):
            if not isinstance(rule.get(key), int) or rule[key] < 0:
                errors.append(f"{where}: {key} must be a whole number of đồng ≥ 0")
        for key in ("quantity_field", "pages_field", "copies_field"):
            if key in rule and rule[key] not in names:
                errors.append(f"{where}: {key} names no field of the form")
        if kind == "flat" and rule.get("per", "case") not in ("case", "copy"):
            errors.append(f"{where}: per must be case or copy")
        if kind == "per_page" and "pages_field" not in rule:
            errors.append(f"{where}: pages_field is required")
        if kind == "provincial" and not rule.get("key"):
            errors.append(f"{where}: key is required")
        if "when" in rule:
            errors += condition_errors(rule["when"], names, where)
        channels = rule.get("channels", list(CHANNELS))
        if not isinstance(channels, list) or not channels or set(channels) - set(CHANNELS):
            errors.append(f"{where}: channels must be some of {', '.join(CHANNELS)}")
    for code in schedule.get("exemptions", []):
        if code not in codes:
            errors.append(f"fees.exemptions: unknown exemption category {code!r}")
    return errors


def _count(answers: Mapping[str, Any], name: str | None) -> int:
    """A count from the answers; not asked or not answered means one."""
    value = answers.get(name) if name else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 1


def fee_compute(
    schedule: dict,
    answers: Mapping[str, Any],
    *,
    today: date,
    channel: str | None = None,
    claimed_exemptions: Iterable[str] = (),
    exemption_evidence: Mapping[str, str] = {},
    provincial_rates: Mapping[str, int] = {},
) -> FeeQuote:
    """The fee for these (clean) answers, for a dossier of that intake channel (None: any rule
    limited to some channels is skipped, so the quote is the general one). A claimed exemption
    the procedure allows makes a fee that is due 0."""
    claimed = list(dict.fromkeys(claimed_exemptions))
    allowed = set(schedule.get("exemptions", []))
    for code in claimed:
        if code not in allowed:
            raise FeeError("exemption_not_allowed", f"exemption {code!r} does not apply here")
    quote = _rule_quote(schedule, answers, today, channel, provincial_rates)
    if claimed and quote.rule != "free":
        code = claimed[0]
        return FeeQuote(0, "exempt", exemption=code, evidence=exemption_evidence.get(code, ""))
    return quote


def _rule_quote(schedule, answers, today, channel, provincial_rates) -> FeeQuote:
    for rule in schedule["rules"]:
        if "when" in rule and not condition_holds(rule["when"], answers, today):
            continue
        if "channels" in rule and channel not in rule["channels"]:
            continue
        kind = rule["kind"]
        if kind == "free":
            return FeeQuote(0, kind)
        if kind == "flat":
            copies = _count(answers, rule.get("quantity_field")) if rule.get("per") == "copy" else 1
            return FeeQuote(rule["amount"] * copies, kind, breakdown={"copies": copies})
        if kind == "per_page":
            pages = _count(answers, rule["pages_field"])
            copies = _count(answers, rule.get("copies_field"))
            full_pages = min(pages, rule.get("reduced_from_page", pages + 1) - 1)
            per_copy = full_pages * rule["rate"] + (pages - full_pages) * rule.get(
                "reduced_rate", rule["rate"]
            )
            if "cap_per_copy" in rule:
                per_copy = min(per_copy, rule["cap_per_copy"])
            return FeeQuote(
                per_copy * copies,
                kind,
                breakdown={"pages": pages, "copies": copies, "per_copy": per_copy},
            )
        key = rule["key"]
        return FeeQuote(provincial_rates.get(key), kind, provincial_key=key)
    return FeeQuote(0, "free")
