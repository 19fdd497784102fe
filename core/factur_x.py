"""The factur-x library, imported without the HTTP client it loads for a check the bot never asks it for.

factur-x's package imports ``requests`` as it loads, for one feature: the Schematron check through a Saxon server
(``xml_check_schematron`` with ``saxon_server_url``). Making the XML and checking it against the XSD never touch it,
yet loading requests (with urllib3, charset_normalizer, idna, http.cookiejar) was 40 ms of every first invoice in a
process. So while factur-x loads, requests is imported lazily (``importlib.util.LazyLoader``): the module is put in
``sys.modules`` and runs on its first attribute use, so that check, and anything else importing requests later, works
unchanged. Where requests is already loaded, nothing changes.

pypdf, which factur-x imports as it loads too, can't be deferred so: its ``from pypdf import PdfReader, PdfWriter``
uses the module at once.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType


class _LazyFinder:
    """Finds ``names`` where Python would, and loads them lazily (a meta path finder)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names

    def find_spec(self, name: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


@contextmanager
def lazy_imports(*names: str) -> Iterator[None]:
    """Inside, a first import of one of ``names`` gives a module that loads on first use."""
    finder = _LazyFinder(names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


with lazy_imports("requests"):
    from facturx import generate_xml

__all__ = ["generate_xml"]
