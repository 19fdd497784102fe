import os
from pathlib import Path

import pytest

from bot.settings import ConfigError, Settings


def test_defaults_put_everything_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"INVOICEBOT_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'invoicebot.db'}"
    assert settings.outbox == tmp_path / "outbox"
    assert settings.embedded and settings.default_tz == "UTC" and settings.port == 8080
    assert settings.secret_keys == ()


def test_a_plain_postgres_url_uses_psycopg(tmp_path: Path) -> None:
    settings = Settings.from_env({"DATABASE_URL": "postgresql://u@db/invoicebot"})
    assert settings.database_url == "postgresql+psycopg://u@db/invoicebot" and not settings.embedded


@pytest.mark.parametrize(
    ("env", "enabled"),
    [({"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "s"}, True),
     ({"SLACK_BOT_TOKEN": "x", "SLACK_APP_TOKEN": "a"}, True),
     ({"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2", "SLACK_SIGNING_SECRET": "s"}, True),
     ({"SLACK_BOT_TOKEN": "x"}, False),
     ({"SLACK_SIGNING_SECRET": "s"}, False)],
)
def test_slack_needs_a_token_and_a_way_to_receive(env, enabled) -> None:
    assert Settings.from_env(env).slack_enabled is enabled


@pytest.mark.parametrize(("env", "message"), [({"INVOICEBOT_DEFAULT_TZ": "Moon/Base"}, "INVOICEBOT_DEFAULT_TZ"),
                                              ({"PORT": "eighty"}, "PORT"),
                                              ({"INVOICEBOT_INBOX_MAX": "0"}, "INVOICEBOT_INBOX_MAX"),
                                              ({"INVOICEBOT_INBOX_LEASE": "-5"}, "INVOICEBOT_INBOX_LEASE")])
def test_bad_settings_name_the_variable(env, message) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


@pytest.mark.parametrize(
    ("env", "missing"),
    [({"SLACK_BOT_TOKEN": "xoxb-1"}, "neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN"),
     ({"SLACK_BOT_TOKEN": "xoxb-1", "TELEGRAM_BOT_TOKEN": "1:a"}, "nor SLACK_APP_TOKEN"),
     ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not"),
     ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not"),
     ({"SLACK_CLIENT_ID": "1", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not"),
     ({"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2"}, "but SLACK_SIGNING_SECRET is not")],
)
def test_a_half_configured_slack_stops_run_with_a_sentence_naming_the_variable(env, missing, monkeypatch, capsys,
                                                                                tmp_path: Path) -> None:
    from bot import cli

    for name in [n for n in os.environ if n.startswith(("SLACK_", "TELEGRAM_"))]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("INVOICEBOT_DATA_DIR", str(tmp_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli.main(["run"]) == 2
    assert missing in capsys.readouterr().err
    assert not (tmp_path / "invoicebot.db").exists()  # refused before anything started


@pytest.mark.parametrize("env", [{"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "s"},
                                 {"SLACK_BOT_TOKEN": "x", "SLACK_APP_TOKEN": "a"},
                                 {"SLACK_CLIENT_ID": "1", "SLACK_CLIENT_SECRET": "2", "SLACK_SIGNING_SECRET": "s"}, {}])
def test_a_complete_slack_configuration_has_no_problem(env) -> None:
    assert Settings.from_env(env).slack_problem() is None


def test_a_dotenv_file_in_the_working_folder_is_read_and_the_environment_wins(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INVOICEBOT_DEFAULT_TZ", raising=False)  # restored to unset: the file sets it
    monkeypatch.setenv("INVOICEBOT_DATA_DIR", str(tmp_path / "from-environment"))
    (tmp_path / ".env").write_text(f"INVOICEBOT_DATA_DIR={tmp_path / 'from-dotenv'}\n"
                                   "INVOICEBOT_DEFAULT_TZ=Europe/Berlin\n")
    settings = Settings.from_env()
    assert settings.default_tz == "Europe/Berlin" and settings.data_dir == tmp_path / "from-environment"


def test_without_a_data_dir_the_platform_s_user_data_folder_holds_the_database() -> None:
    from platformdirs import user_data_dir

    settings = Settings.from_env({})
    assert settings.data_dir == Path(user_data_dir("invoicebot", appauthor=False))
    assert settings.database_url == f"sqlite:///{settings.data_dir / 'invoicebot.db'}"
