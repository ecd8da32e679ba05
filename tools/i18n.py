"""Keep the French catalog complete: extract the messages, merge them into the .po, compile.

    python tools/i18n.py update            # extract and merge into requete.po
    python tools/i18n.py merge FILE.po...  # take the translations of other PO files
    python tools/i18n.py compile           # write requete.mo
    python tools/i18n.py missing           # list what has no translation (exit 1 if any)

Messages come from three places: the ``_()``/``N_()``/``ngettext()`` calls of ``src/requete``
(Babel's extractor), the help texts of the CLI (read from the click command tree typer builds,
since they are docstrings and ``help=`` arguments), and click's own messages (usage, errors,
``--help``), which click marks for gettext and our catalog translates. See docs/i18n.md.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
import typer
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "requete"
PO = SOURCE / "locale" / "fr" / "LC_MESSAGES" / "requete.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _extract(directory: Path, label: str) -> Iterator[tuple[str | tuple[str, str], str]]:
    """(message id, location) of every marked literal under ``directory``."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(directory), keywords=KEYWORDS
    ):
        ident = message if isinstance(message, str) else (message[0], message[1])
        yield ident, f"{label}/{filename}:{lineno}"


def code_messages() -> Iterator[tuple[str | tuple[str, str], str]]:
    """The messages marked in requete's own code."""
    yield from _extract(SOURCE, "requete")


def click_messages() -> Iterator[tuple[str | tuple[str, str], str]]:
    """The messages click and typer mark for gettext (usage, errors, sections, --help)."""
    yield from _extract(Path(click.__file__).parent, "click")
    typer_dir = Path(typer.__file__).parent
    yield from _extract(typer_dir, "typer")


def help_texts() -> Iterator[tuple[str, str]]:
    """Every help text of the CLI: commands' help and short help, options' and arguments'
    help, as the click tree typer builds holds them."""
    sys.path.insert(0, str(ROOT / "src"))
    from requete.cli import help_strings

    for text, where in help_strings():
        yield text, f"cli:{where}"


def template() -> Catalog:
    """A catalog of every message, without translations."""
    catalog = Catalog(domain="requete", project="requete", charset="utf-8")
    sources: Iterable[tuple[str | tuple[str, str], str]] = [
        *code_messages(),
        *help_texts(),
        *click_messages(),
    ]
    for ident, where in sources:
        path, _, line = where.rpartition(":")
        number = int(line) if line.isdigit() else 0
        existing = catalog.get(ident if isinstance(ident, str) else ident[0])
        if existing is not None:
            existing.locations.append((path, number))
        else:
            catalog.add(ident, locations=[(path, number)])
    return catalog


def load(path: Path = PO) -> Catalog:
    """The French catalog as committed."""
    with path.open("rb") as handle:
        return _two_forms(read_po(handle, locale="fr"))


def _two_forms(catalog: Catalog) -> Catalog:
    """French as gettext has it: two plural forms, the singular for 0 and 1. (Babel's CLDR
    data gives French a third form, for millions, that no message here needs; Babel has no
    public setter, hence the attributes.)"""
    catalog._num_plurals = 2  # type: ignore[attr-defined]
    catalog._plural_expr = "(n > 1)"  # type: ignore[attr-defined]
    for message in catalog:
        if isinstance(message.string, tuple | list) and len(message.string) > 2:
            message.string = tuple(message.string[:2])
    return catalog


def save(catalog: Catalog, path: Path = PO) -> None:
    """Write a PO file (sorted by message, so that diffs stay small)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_previous=False)
    path.write_bytes(out.getvalue())


def compiled(catalog: Catalog) -> bytes:
    """The .mo bytes of a catalog (fuzzy entries left out, as gettext would)."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def untranslated(catalog: Catalog, wanted: Catalog) -> list[str]:
    """Message ids of ``wanted`` that ``catalog`` does not translate (absent, empty, fuzzy)."""
    missing = []
    for message in wanted:
        if not message.id:
            continue
        found = catalog.get(message.id)
        if found is None or found.fuzzy or not _translated(found):
            missing.append(str(message.id))
    return missing


def _translated(message: Message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def update() -> Catalog:
    """Merge the extracted messages into the .po (new ones empty, gone ones dropped)."""
    catalog = load() if PO.exists() else _two_forms(Catalog(locale="fr", domain="requete"))
    catalog.update(template(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    save(catalog)
    return catalog


def merge(paths: Iterable[Path]) -> int:
    """Fill empty translations of the .po from other PO files; returns how many were taken."""
    catalog = load()
    taken = 0
    for path in paths:
        with path.open("rb") as handle:
            other = _two_forms(read_po(handle, locale="fr"))
        for message in other:
            mine = catalog.get(message.id) if message.id else None
            if mine is not None and not _translated(mine) and _translated(message):
                mine.string = message.string
                mine.flags.discard("fuzzy")
                taken += 1
    save(catalog)
    return taken


def main(argv: list[str]) -> int:
    """The command line of this tool."""
    verb = argv[0] if argv else "missing"
    if verb == "update":
        catalog = update()
        print(f"{PO.relative_to(ROOT)}: {len(catalog)} messages")
    elif verb == "merge":
        print(f"{merge(Path(p) for p in argv[1:])} translations taken")
    elif verb == "compile":
        MO.write_bytes(compiled(load()))
        print(f"{MO.relative_to(ROOT)} written")
    elif verb == "missing":
        missing = untranslated(load(), template())
        for ident in missing:
            print(repr(ident))
        print(f"{len(missing)} message(s) without a French translation")
        return 1 if missing else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
