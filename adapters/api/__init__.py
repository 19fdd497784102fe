"""The REST API (SPEC §10): the same books over HTTP, on the one HTTP server under /api/v1."""
from adapters.api.app import RestApi

__all__ = ["RestApi"]
