"""Build hook: every translation catalog (``core/locale/<lang>/LC_MESSAGES/*.po``) is compiled to ``.mo`` inside the
built package, so an installed invoicebot loads ready catalogs and needs no compiling at start.

An editable install (``pip install -e``) builds nothing here: it runs from the source tree, where ``core.i18n``
compiles a ``.po`` in memory the first time a language is used (so an edited catalog is never shadowed by a stale
``.mo``). Everything else about the package is in pyproject.toml.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE_DIR = Path("core") / "locale"


def compile_catalogs(source_root: Path, build_lib: Path) -> list[Path]:
    """Write ``build_lib/core/locale/<lang>/LC_MESSAGES/<domain>.mo`` for each ``.po`` under ``source_root``, with
    the same compiler the source tree uses at run time (core/i18n.py, loaded on its own: it needs only the
    standard library and Babel, not the package's dependencies)."""
    spec = importlib.util.spec_from_file_location("invoicebot_i18n", source_root / "core" / "i18n.py")
    assert spec is not None and spec.loader is not None
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    written = []
    for po in sorted((source_root / LOCALE_DIR).glob("*/LC_MESSAGES/*.po")):
        target = build_lib / po.relative_to(source_root).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(i18n.compile_catalog(po, po.parent.parent.name))
        written.append(target)
    return written


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        if not getattr(self, "editable_mode", False):
            compile_catalogs(Path.cwd(), Path(self.build_lib))


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildWithCatalogs})
