"""The redacting log filter: configured secrets, credential-shaped tokens and IBANs never reach a log line."""
import logging

import pytest

from bot.redaction import REDACTED, RedactSecrets, configured_secrets
from bot.settings import Settings


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("x", logging.INFO, __file__, 1, message, args or None, exc_info)


def shown(redactor: RedactSecrets, message: str, *args: object) -> str:
    item = record(message, *args)
    assert redactor.filter(item) is True  # never drops a line
    return logging.Formatter().format(item)


@pytest.mark.parametrize("secret", [
    "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",  # a Telegram bot token
    "xoxb-1234-5678-abcdefghijkl", "xapp-1-A111-222-abcdef", "8f742231b10e8888abcd99yyyzzz85a5",
    "q9Q3bJ0H9s7vGQ1f3a0uC1mX1o2Q3c4Yb5Zr6Vt7Wu8=",
])
def test_a_configured_secret_is_blanked_in_the_message_its_arguments_and_its_url_encoded_form(secret: str) -> None:
    from urllib.parse import quote

    redactor = RedactSecrets([secret])
    line = shown(redactor, "POST https://api.example/bot%s/getMe %s", secret, quote(secret, safe=""))
    assert secret not in line and quote(secret, safe="") not in line and line.count(REDACTED) == 2


def test_tokens_nobody_configured_are_blanked_by_their_shape() -> None:
    redactor = RedactSecrets()
    for token in ("xoxb-9-9-workspaceTokenFromOAuth", "xapp-1-A1-1-abcdefgh", "ib_" + "A1b2" * 9,
                  "987654321:AAF" + "x" * 32):
        assert token not in shown(redactor, "token %s in a body", token)


def test_a_traceback_is_redacted_too() -> None:
    redactor = RedactSecrets(["super-secret-value"])
    try:
        raise RuntimeError("failed calling https://host/botsuper-secret-value/getMe")
    except RuntimeError as exc:
        item = record("request failed", exc=exc)
    redactor.filter(item)
    text = logging.Formatter().format(item)
    assert "super-secret-value" not in text and "RuntimeError" in text


def test_ibans_are_blanked_only_when_their_checksum_holds() -> None:
    redactor = RedactSecrets()
    line = shown(redactor, "/profile set payment IBAN DE89 3704 0044 0532 0130 00 | BIC COBADEFFXXX")
    assert "3704" not in line and "[redacted IBAN] | BIC COBADEFFXXX" in line
    assert "GB82WEST12345698765432" not in shown(redactor, "iban=GB82WEST12345698765432;")
    assert "gb82west12345698765432" not in shown(redactor, "lower case gb82west12345698765432")
    not_an_iban = "order DE00 1234 5678 9012 3456 78 shipped"
    assert shown(redactor, not_an_iban).endswith(not_an_iban)


def test_every_configured_secret_is_collected_from_the_settings() -> None:
    settings = Settings.from_env({
        "TELEGRAM_BOT_TOKEN": "111:telegram-token-value", "SLACK_BOT_TOKEN": "xoxb-slack-bot",
        "SLACK_SIGNING_SECRET": "signing-secret", "SLACK_APP_TOKEN": "xapp-app-token",
        "SLACK_CLIENT_SECRET": "client-secret", "INVOICEBOT_SECRET_KEYS": "key-one,key-two",
        "DATABASE_URL": "postgresql://bot:database-password@db/books",
    }, read_dotenv=False)
    secrets = configured_secrets(settings)
    for value in ("111:telegram-token-value", "xoxb-slack-bot", "signing-secret", "xapp-app-token",
                  "client-secret", "key-one", "key-two", "database-password"):
        assert value in secrets
    from adapters.telegram.webhook import derive_secret

    assert derive_secret("111:telegram-token-value") in secrets  # the webhook secret used when none is set
