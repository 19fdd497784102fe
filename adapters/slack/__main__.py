"""``python -m adapters.slack > slack-manifest.yml``: the manifest for the current command table."""
from adapters.slack.manifest import render_manifest
from core.commands import COMMANDS

print(render_manifest(COMMANDS), end="")
