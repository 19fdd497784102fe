"""Payment instructions and tax ids are encrypted at rest; keys are checked at start and can be rotated."""
import logging
import stat
from pathlib import Path

import pytest

from bot.keys import KEY_FILE_NAME, load_cipher, rotate_keys
from bot.settings import ConfigError, Settings
from bot.wiring import build_runtime
from core.encryption import Cipher, WrongKey
from tests.conftest import Conversation

IBAN = "DE89370400440532013000"
TAX_ID = "DE987654321"


def settings_for(tmp_path: Path, keys: tuple[str, ...] = ()) -> Settings:
    return Settings.from_env({"INVOICEBOT_DATA_DIR": str(tmp_path), "INVOICEBOT_SECRET_KEYS": ",".join(keys)})


def test_the_raw_database_file_never_holds_a_plaintext_iban_or_tax_id(tmp_path: Path) -> None:
    runtime = build_runtime(settings_for(tmp_path, (Cipher.new_key(),)))
    me = Conversation(runtime.core)
    me.say(f"/profile set payment IBAN {IBAN} BIC COBADEFFXXX")
    me.say(f"/profile set tax_id {TAX_ID}")
    assert IBAN in me.text("/profile")
    runtime.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("invoicebot.db*"))
    assert b"COBADEFF" not in raw and IBAN.encode() not in raw and TAX_ID.encode() not in raw
    assert b"gAAAAA" in raw  # the Fernet tokens are there instead


def test_without_keys_a_key_file_is_made_private_with_a_warning(tmp_path: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        cipher = load_cipher(settings_for(tmp_path))
    key_file = tmp_path / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert any("INVOICEBOT_SECRET_KEYS is not set" in r.getMessage() for r in caplog.records)
    assert load_cipher(settings_for(tmp_path)).decrypt(cipher.encrypt("x")) == "x"  # the same key next time


def test_a_wrong_key_is_a_clear_error_at_start(tmp_path: Path) -> None:
    runtime = build_runtime(settings_for(tmp_path, (Cipher.new_key(),)))
    Conversation(runtime.core).say(f"/profile set payment {IBAN}")
    runtime.close()
    with pytest.raises(ConfigError, match="can't decrypt the data"):
        build_runtime(settings_for(tmp_path, (Cipher.new_key(),)))


def test_a_malformed_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="INVOICEBOT_SECRET_KEYS"):
        load_cipher(settings_for(tmp_path, ("not-a-key",)))


def test_rotate_key_re_encrypts_everything_under_the_newest_key(tmp_path: Path) -> None:
    old, new = Cipher.new_key(), Cipher.new_key()
    runtime = build_runtime(settings_for(tmp_path, (old,)))
    Conversation(runtime.core).say(f"/profile set payment {IBAN}")
    Conversation(runtime.core).say(f"/profile set tax_id {TAX_ID}")
    runtime.close()
    runtime = build_runtime(settings_for(tmp_path, (new, old)))
    assert rotate_keys(runtime.sessions, runtime.core.cipher) == 2
    runtime.close()
    runtime = build_runtime(settings_for(tmp_path, (new,)))  # the old key is no longer needed
    assert IBAN in Conversation(runtime.core).text("/profile")
    runtime.close()
    with pytest.raises(WrongKey):
        Cipher([old]).decrypt(Cipher([new]).encrypt("x"))
