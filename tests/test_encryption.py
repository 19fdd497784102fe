"""Payment instructions and tax ids are encrypted at rest; keys are checked at start and can be rotated."""
import logging
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.keys import KEY_FILE_NAME, load_cipher, rotate_keys
from bot.settings import ConfigError, Settings
from bot.wiring import build_runtime
from core.encryption import Cipher, WrongKey
from tests.conftest import TEST_KEY, Conversation

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
    with pytest.raises(ConfigError, match="can't decrypt every value"):
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
    assert rotate_keys(runtime.sessions, runtime.core.cipher).changed == 2
    runtime.close()
    runtime = build_runtime(settings_for(tmp_path, (new,)))  # the old key is no longer needed
    assert IBAN in Conversation(runtime.core).text("/profile")
    runtime.close()
    with pytest.raises(WrongKey):
        Cipher([old]).decrypt(Cipher([new]).encrypt("x"))


def two_users_under_two_keys(tmp_path: Path) -> tuple[str, str]:
    """Alice's details written under the first key, Bob's later under a second one (a key list changed between)."""
    first, second = Cipher.new_key(), Cipher.new_key()
    runtime = build_runtime(settings_for(tmp_path, (first,)))
    Conversation(runtime.core, user="alice").say(f"/profile set payment {IBAN}")
    runtime.close()
    runtime = build_runtime(settings_for(tmp_path, (second, first)))
    Conversation(runtime.core, user="bob").say(f"/profile set payment {IBAN}")
    Conversation(runtime.core, user="bob").say(f"/profile set tax_id {TAX_ID}")
    runtime.close()
    return first, second


def test_the_start_up_check_finds_every_key_in_use_not_only_the_first_rows(tmp_path: Path) -> None:
    from core.encryption import key_id

    first, second = two_users_under_two_keys(tmp_path)
    with pytest.raises(ConfigError) as refused:  # alice's row comes first and reads fine: bob's doesn't
        build_runtime(settings_for(tmp_path, (first,)))
    message = str(refused.value)
    assert f"2 written with the key {key_id(second)}" in message
    assert "profiles.payment_enc 1" in message  # and the tax id, in the column its kind goes to
    build_runtime(settings_for(tmp_path, (second, first))).close()


def test_values_from_before_key_ids_are_checked_one_by_one(tmp_path: Path) -> None:
    from sqlalchemy import update

    from core.models import Profile

    first, other = Cipher.new_key(), Cipher.new_key()
    runtime = build_runtime(settings_for(tmp_path, (first,)))
    Conversation(runtime.core, user="alice").say(f"/profile set payment {IBAN}")
    Conversation(runtime.core, user="bob").say(f"/profile set payment {IBAN}")
    with runtime.sessions.begin() as session:  # bob's value as an older version wrote it: a bare Fernet token
        from cryptography.fernet import Fernet

        session.execute(update(Profile).where(Profile.account_id == 2)
                        .values(payment_enc=Fernet(other).encrypt(b"IBAN").decode()))
    runtime.close()
    with pytest.raises(ConfigError, match=r"1 older ones that no configured key opens \(profiles.payment_enc 1\)"):
        build_runtime(settings_for(tmp_path, (first,)))
    build_runtime(settings_for(tmp_path, (first, other))).close()


def test_rotate_key_reports_what_it_cannot_read_and_rotates_the_rest(tmp_path: Path) -> None:
    from tests.test_cli import invoicebot

    first, second = two_users_under_two_keys(tmp_path)
    newest = Cipher.new_key()
    result = invoicebot("rotate-key", tmp=tmp_path, env={"INVOICEBOT_SECRET_KEYS": f"{newest},{first}"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Re-encrypted 1 value under" in result.stdout  # alice's
    assert "2 values can't be read" in result.stderr and "profiles.payment_enc: 1 (rows 2)" in result.stderr
    again = invoicebot("rotate-key", tmp=tmp_path, env={"INVOICEBOT_SECRET_KEYS": f"{newest},{second}"})
    assert again.returncode == 0 and "Re-encrypted 2 values" in again.stdout
    build_runtime(settings_for(tmp_path, (newest,))).close()  # everything is under the newest key now


def test_the_start_up_check_counts_the_values_of_each_key_on_either_database(chat: Conversation, sessions,
                                                                            cipher: Cipher) -> None:
    """The check is one statement of plain SQL over every encrypted column (SQLite and PostgreSQL): the values are
    counted per key, and a key missing from the list refuses the start."""
    from bot.keys import key_ids_in_use, verify_keys

    chat.say(f"/profile set payment {IBAN}")
    chat.say(f"/profile set tax_id {TAX_ID}")
    with sessions() as session:
        assert key_ids_in_use(session) == {cipher.newest_key_id: {"profiles.payment_enc": 1,
                                                                  "profiles.tax_number_enc": 1}}
    verify_keys(sessions, cipher)
    other = Cipher([Cipher.new_key()])
    with pytest.raises(ConfigError, match=f"2 written with the key {cipher.newest_key_id}"):
        verify_keys(sessions, other)


def test_the_key_check_and_rotation_cover_the_inbox_and_the_answers_kept_with_it(sessions, cipher: Cipher,
                                                                                 clock) -> None:
    """Request bodies wait in the inbox and answers are kept until their row is done: a missing key must refuse the
    start for them too, and rotate-key must move them, each row of a composite key on its own."""
    from bot.keys import key_ids_in_use, verify_keys
    from core.inbox import Delivery, Inbox
    from core.models import ProcessedMessage

    Inbox(sessions, clock, cipher).store([Delivery("telegram", "tg:1", "c1", f"/profile set payment {IBAN}".encode())])
    with sessions.begin() as session:  # one delivery id on two platforms: two rows, two answers
        session.add_all([ProcessedMessage(platform=platform, message_id="m1", received_at=clock(),
                                          reply_enc=cipher.encrypt(f"{platform} answer"))
                         for platform in ("telegram", "slack")])
    with sessions() as session:
        assert key_ids_in_use(session) == {cipher.newest_key_id: {"inbox.payload_enc": 1,
                                                                  "processed_messages.reply_enc": 2}}
    with pytest.raises(ConfigError, match="3 written with the key") as refused:
        verify_keys(sessions, Cipher([Cipher.new_key()]))
    assert "inbox.payload_enc 1" in str(refused.value) and "processed_messages.reply_enc 2" in str(refused.value)

    newest = Cipher.new_key()
    assert rotate_keys(sessions, Cipher([newest, TEST_KEY])).changed == 3
    only_newest = Cipher([newest])
    verify_keys(sessions, only_newest)
    with sessions() as session:
        kept = dict(session.execute(select(ProcessedMessage.platform, ProcessedMessage.reply_enc)).all())
    assert {platform: only_newest.decrypt(value) for platform, value in kept.items()} == {
        "telegram": "telegram answer", "slack": "slack answer"}
    [row] = Inbox(sessions, clock, only_newest).claim("telegram", 1)
    assert row.payload == f"/profile set payment {IBAN}".encode()
