"""No sentence reaches a user untranslated: a string literal or f-string handed straight to ``UserError``, ``Reply``,
``Action``, a document's caption (or returned as a reply's text by a command helper) is English for everyone.

Wrapped text — ``_("…")``, ``ngettext(…)``, ``pgettext(…)``, optionally followed by ``.format(…)`` — passes, and
so does text that holds no letters (``"\\n".join(lines)``, ``f"#{task.id}"``). See README.md, “Translations”.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("core", "adapters", "bot")
USER_TEXT_CALLS = {
    # callable: (positional indexes, keyword names) that carry text a user reads
    "UserError": ((0,), ("message",)),
    "CurrencyMismatch": ((0,), ("message",)),
    "PhraseError": ((0,), ("message",)),
    "AmbiguousPhrase": ((0,), ("message",)),
    "Reply": ((0,), ("text",)),
    "Action": ((0,), ("label",)),
    "Document": ((3,), ("caption",)),
    "replace": ((), ("text", "caption", "label")),
    "cell": ((2,), ("text",)),  # fpdf2: text drawn on the invoice
    "multi_cell": ((2,), ("text",)),
}
RETURNS_USER_TEXT = ("core/commands/", "core/digests.py")
"""Modules whose string-returning helpers build reply text: a bare literal returned there is a reply fragment."""
TRANSLATING = {"_", "ngettext", "pgettext"}


def python_files() -> Iterator[Path]:
    for folder in CHECKED:
        yield from sorted((ROOT / folder).rglob("*.py"))


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def untranslated(node: ast.expr, constants: frozenset[str] = frozenset()) -> bool:
    """Whether ``node`` is English text as written: a literal or f-string with words, one of the module's
    ``constants`` holding such text (or only marked with ``N_``, which doesn't translate), or built from one."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and has_letters(node.value)
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, ast.JoinedStr):
        return any(untranslated(part, constants) for part in node.values
                   if isinstance(part, ast.Constant) or isinstance(part, ast.FormattedValue)
                   and isinstance(part.value, ast.Name))
    if isinstance(node, ast.FormattedValue):
        return untranslated(node.value, constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return untranslated(node.left, constants) or untranslated(node.right, constants)
    if isinstance(node, ast.IfExp):
        return untranslated(node.body, constants) or untranslated(node.orelse, constants)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return untranslated(node.func.value, constants)
    return False


def text_constants(tree: ast.Module) -> frozenset[str]:
    """Module-level names bound to English text: a literal with words, or ``N_(…)`` (marked, not translated)."""
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        if value is None:
            continue
        marked = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "N_"
        if marked or untranslated(value):
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(names)


def callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


NOT_USER_TEXT = "# not user text"
"""A comment that exempts one line: a string built for a machine (a phrase handed back to the parser)."""


def findings(path: Path) -> list[str]:
    relative = path.relative_to(ROOT).as_posix()
    source = path.read_text()
    exempt = {number for number, line in enumerate(source.splitlines(), 1) if NOT_USER_TEXT in line}
    tree = ast.parse(source, filename=relative)
    constants = text_constants(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and callee(node) in USER_TEXT_CALLS:
            positions, names = USER_TEXT_CALLS[callee(node)]  # type: ignore[index]
            texts = [node.args[i] for i in positions if i < len(node.args)]
            texts += [k.value for k in node.keywords if k.arg in names]
            found += [f"{relative}:{text.lineno}: {ast.unparse(text)[:80]}" for text in texts
                      if untranslated(text, constants)]
        elif (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and relative.startswith(RETURNS_USER_TEXT)
              and isinstance(node.returns, ast.Name) and node.returns.id == "str"):
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Return) and inner.value is not None and inner.lineno not in exempt
                        and untranslated(inner.value, constants)):
                    found.append(f"{relative}:{inner.lineno}: return {ast.unparse(inner.value)[:80]}")
    return found


@pytest.mark.parametrize("path", list(python_files()), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_untranslated_text_reaches_a_user(path: Path) -> None:
    assert findings(path) == []


def test_the_lint_sees_the_ways_english_slips_through() -> None:
    """The checker itself: each of these would reach a user untranslated, each wrapped form would not."""
    slipping = ['UserError("No such client.")', 'Reply(f"Logged #{n}")', 'Action("Undo", "/undo 1")',
                'Reply("Sorry " + ref)', 'Document("a.pdf", b"", caption="Invoice")', 'Reply(text="x" if a else "y")',
                'UserError("Use {x}".format(x=1))', 'replace(reply, text=f"Added {name}.")']
    passing = ['UserError(_("No such client."))', 'Reply(_("Logged #{n}").format(n=n))', 'Action(_("Undo"), "/undo 1")',
               'Reply("\\n".join(lines))', 'Reply(f"#{task.id}")', 'Reply(text)', 'Document("a.pdf", b"")',
               'Reply(ngettext("{n} task", "{n} tasks", n).format(n=n))', 'Action(client.name, f"/client {name}")']
    for source in slipping:
        call = ast.parse(source, mode="eval").body
        assert isinstance(call, ast.Call)
        positions, names = USER_TEXT_CALLS[callee(call)]  # type: ignore[index]
        texts = [call.args[i] for i in positions if i < len(call.args)] + [k.value for k in call.keywords
                                                                            if k.arg in names]
        assert any(untranslated(t) for t in texts), source
    for source in passing:
        call = ast.parse(source, mode="eval").body
        assert isinstance(call, ast.Call)
        positions, names = USER_TEXT_CALLS[callee(call)]  # type: ignore[index]
        texts = [call.args[i] for i in positions if i < len(call.args)] + [k.value for k in call.keywords
                                                                            if k.arg in names]
        assert not any(untranslated(t) for t in texts), source


@pytest.mark.parametrize("path", list(python_files()), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_function_hides_the_translation_function(path: Path) -> None:
    """``head, _, tail = text.partition(" ")`` in a function that also calls ``_("…")`` makes ``_`` a local there:
    every translated sentence of that function then fails with UnboundLocalError, and only at run time."""
    tree = ast.parse(path.read_text(), filename=str(path))
    hiding = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                        for n in own_scope(function))
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                        for n in ast.walk(function))
            if binds and calls:
                hiding.append(f"{getattr(function, 'name', 'lambda')} (line {function.lineno})")
    assert hiding == []


SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
          ast.GeneratorExp)


def own_scope(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of ``function`` outside any scope nested in it (a comprehension's ``for _, x in …`` binds its
    own ``_``, not the function's)."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, SCOPES):
            pending.extend(ast.iter_child_nodes(node))
