"""The HTTP channels: a brandname SMS gateway and Zalo ZNS (settings: see channels.py).

Plain urllib with a timeout: one request per message, no new dependency. What an answer means
is decided in one place (`_exchange`): 5xx, 408, 429, a timeout, a refused connection and an
answer that is not JSON are worth another attempt; another 4xx never is.
"""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from . import templates
from .base import Channel, ChannelError, PermanentChannelError

RETRY_STATUSES = frozenset({408, 425, 429})
DEFAULT_TIMEOUT = 10


def http_timeout() -> float:
    return float(getattr(settings, "XASO_NOTIFY_HTTP_TIMEOUT", DEFAULT_TIMEOUT))


def international(phone: str) -> str:
    """0912345678 -> 84912345678 (what Zalo and some gateways want)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


def dig(answer, path: str):
    """The value at a dotted path of a JSON answer ("data.msg_id"), or None."""
    value = answer
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def http_request(url: str, *, data: bytes | None, headers: dict, method: str):
    """A request to a gateway's address; only http(s) (a file: URL in a setting is refused)."""
    if not url.startswith(("http://", "https://")):
        raise PermanentChannelError(f"the gateway address {url!r} is not http(s)")
    return urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310


def _exchange(request: urllib.request.Request, *, what: str):
    """Send the request; return the decoded JSON answer or raise the right ChannelError."""
    try:
        with urllib.request.urlopen(request, timeout=http_timeout()) as response:  # noqa: S310
            body = response.read(65536)
    except urllib.error.HTTPError as error:
        detail = error.read(500).decode("utf-8", "replace")
        message = f"{what} answered HTTP {error.code}: {detail}"
        if error.code >= 500 or error.code in RETRY_STATUSES:
            raise ChannelError(message) from error
        raise PermanentChannelError(message) from error
    except TimeoutError as error:
        raise ChannelError(f"{what} did not answer in {http_timeout()} s") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ChannelError(f"{what} cannot be reached: {reason}") from error
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ChannelError(f"{what} answered something that is not JSON: {body[:200]!r}") from error


# --- SMS -------------------------------------------------------------------------------------

SMS_FIELDS = {"phone": "phone", "text": "text", "sender": "sender"}


def sms_settings() -> dict:
    return dict(getattr(settings, "XASO_NOTIFY_SMS", None) or {})


class SmsGatewayChannel(Channel):
    """One HTTP request per SMS; field names and the answer's shape come from the settings."""

    name = "sms"

    @classmethod
    def configured(cls) -> bool:
        return bool(sms_settings().get("url"))

    @classmethod
    def problems(cls) -> list[str]:
        config = sms_settings()
        if not config:
            return []
        problems = []
        if not str(config.get("url", "")).startswith(("http://", "https://")):
            problems.append("XASO_NOTIFY_SMS needs a 'url' starting with http:// or https://.")
        if str(config.get("method", "POST")).upper() not in ("GET", "POST"):
            problems.append("XASO_NOTIFY_SMS 'method' is GET or POST.")
        if config.get("body", "json") not in ("json", "form"):
            problems.append("XASO_NOTIFY_SMS 'body' is json or form.")
        if not isinstance(config.get("fields", {}), dict):
            problems.append("XASO_NOTIFY_SMS 'fields' maps phone, text, sender to field names.")
        return problems

    def _request(self, config: dict, message) -> urllib.request.Request:
        fields = {**SMS_FIELDS, **(config.get("fields") or {})}
        phone = message.recipient
        if str(config.get("phone_format", "0")) == "84":
            phone = international(phone)
        values = {**(config.get("params") or {}), fields["phone"]: phone}
        values[fields["text"]] = message.text
        if fields.get("request_id"):  # the same on every attempt: the gateway's deduplication
            values[fields["request_id"]] = f"xaso-{message.pk}"
        if config.get("sender"):
            values[fields["sender"]] = config["sender"]
        headers = {"Accept": "application/json", **(config.get("headers") or {})}
        if config.get("username"):
            pair = f"{config['username']}:{config.get('password', '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        url = config["url"]
        if str(config.get("method", "POST")).upper() == "GET":
            separator = "&" if "?" in url else "?"
            return http_request(
                url + separator + urllib.parse.urlencode(values),
                data=None,
                headers=headers,
                method="GET",
            )
        if config.get("body", "json") == "form":
            data = urllib.parse.urlencode(values).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(values, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        return http_request(url, data=data, headers=headers, method="POST")

    def send(self, message) -> str:
        config = sms_settings()
        if not config.get("url"):
            raise PermanentChannelError("the SMS gateway is not configured (XASO_NOTIFY_SMS)")
        answer = _exchange(self._request(config, message), what="the SMS gateway")
        if not isinstance(answer, dict):
            raise ChannelError(f"the SMS gateway answered an unexpected shape: {answer!r:.200}")
        success_field = config.get("success_field")
        if success_field:
            value = dig(answer, success_field)
            wanted = {str(v) for v in config.get("success_values") or ["true", "True", "0"]}
            if str(value) not in wanted:
                detail = f"the SMS gateway refused the message ({success_field}={value!r})"
                permanent = {str(v) for v in config.get("permanent_values") or []}
                if str(value) in permanent:
                    raise PermanentChannelError(detail)
                raise ChannelError(detail)
        provider_id = dig(answer, config.get("id_field") or "id")
        return str(provider_id) if provider_id is not None else ""


# --- Zalo ZNS --------------------------------------------------------------------------------


def zalo_settings() -> dict:
    return dict(getattr(settings, "XASO_NOTIFY_ZALO", None) or {})


class ZaloChannel(Channel):
    """A Zalo Notification Service message: an approved template id and its parameters."""

    name = "zalo"

    @classmethod
    def configured(cls) -> bool:
        config = zalo_settings()
        return bool(config.get("url") and config.get("access_token"))

    @classmethod
    def problems(cls) -> list[str]:
        config = zalo_settings()
        if not config:
            return []
        problems = []
        if not (config.get("url") and config.get("access_token")):
            problems.append("XASO_NOTIFY_ZALO needs 'url' and 'access_token'.")
        ids = config.get("templates")
        if not isinstance(ids, dict) or not ids:
            problems.append("XASO_NOTIFY_ZALO 'templates' maps template names to ZNS ids.")
        else:
            unknown = sorted(set(ids) - set(templates.TEMPLATES))
            if unknown:
                problems.append(f"XASO_NOTIFY_ZALO 'templates' has unknown names: {unknown}")
        return problems

    def send(self, message) -> str:
        config = zalo_settings()
        if not (config.get("url") and config.get("access_token")):
            raise PermanentChannelError("Zalo ZNS is not configured (XASO_NOTIFY_ZALO)")
        template_id = (config.get("templates") or {}).get(message.template)
        if not template_id:
            raise PermanentChannelError(f"no Zalo template id for {message.template!r}")
        body = {
            "phone": international(message.recipient),
            "template_id": str(template_id),
            "template_data": templates.parameters(
                message.template, message.data or {}, language=message.language
            ),
            # The row's id: the same on every attempt, so a retry is recognisable on both sides.
            "tracking_id": f"xaso-{message.pk}",
        }
        request = http_request(
            config["url"],
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "access_token": config["access_token"],
            },
            method="POST",
        )
        answer = _exchange(request, what="Zalo")
        if not isinstance(answer, dict) or "error" not in answer:
            raise ChannelError(f"Zalo answered an unexpected shape: {answer!r:.200}")
        error = answer.get("error")
        if error != 0:
            detail = f"Zalo refused the message: error {error} {answer.get('message', '')}"
            if error in set(config.get("permanent_errors") or []):
                raise PermanentChannelError(detail)
            raise ChannelError(detail)
        return str(dig(answer, "data.msg_id") or "")
