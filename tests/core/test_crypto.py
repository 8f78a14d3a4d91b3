import pytest

from xaso.core.crypto import decrypt_text, encrypt_text


def test_stored_secrets_round_trip_and_a_wrong_key_is_refused(settings):
    token = encrypt_text("webhook-secret-of-the-commune")
    assert "webhook-secret" not in token
    assert decrypt_text(token) == "webhook-secret-of-the-commune"
    settings.XASO_FIELD_KEY = "b3RoZXIta2V5LW5vdC10aGUtc2FtZS0wMTIzNDU2Nzg="
    with pytest.raises(ValueError):
        decrypt_text(token)
