"""The Slack channel (slack-bolt / slack-sdk).

``adapters.slack.channel.SlackChannel`` (the channel), ``adapters.slack.notifier.build_notifier`` (reminders
without a running channel). Nothing is imported here, so that Alembic can read installations.py's tables
without loading Bolt.
"""
