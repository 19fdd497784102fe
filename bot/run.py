"""`invoicebot run`: every channel configured in the environment, the shared HTTP server, the scheduler."""
from __future__ import annotations

from bot.settings import ConfigError, Settings

CHANNEL_VARIABLES = ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET")


def run(settings: Settings) -> int:
    if not settings.telegram_token and not (settings.slack_bot_token and settings.slack_signing_secret):
        raise ConfigError(
            "No channel is configured: set TELEGRAM_BOT_TOKEN (Telegram) or SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
            "(Slack). To try the bot without any, run `invoicebot chat`."
        )
    raise ConfigError("The Telegram and Slack channels are not wired into `invoicebot run` yet.")
