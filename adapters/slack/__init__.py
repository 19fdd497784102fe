"""The Slack channel (slack-bolt / slack-sdk): see channel.py for the pieces and README-section.md for setup."""
from adapters.slack.channel import SlackChannel
from adapters.slack.notifier import SlackNotifier, build_notifier

__all__ = ["SlackChannel", "SlackNotifier", "build_notifier"]
