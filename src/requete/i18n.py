"""Messages in French or English, through the standard gettext machinery.

Every message is written in English in the code, marked with :func:`_` (translated where it is
built) or :func:`N_` (a constant translated where it is shown), and translated in the catalog
``locale/fr/LC_MESSAGES/requete.po``, compiled to ``requete.mo`` by Babel and shipped in the
wheel (``tools/i18n.py`` extracts, updates and compiles; a test fails when a message has no
translation). The language is French when the locale is French (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``, in gettext's order), English otherwise; ``requete --lang fr|en``
forces it. The core only calls :func:`_`; choosing the language is the CLI's (or the API
caller's) business, through :func:`activate`.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")
DOMAIN = "requete"
LOCALE_DIR = Path(__file__).parent / "locale"
_ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language: Language = "en"


def from_environment(environ: dict[str, str] | None = None) -> Language:
    """French when the first locale variable set (in gettext's order) names French."""
    env = os.environ if environ is None else environ
    for name in _ENVIRONMENT:
        value = env.get(name, "")
        if value:
            first = value.split(":")[0].strip().lower()
            return "fr" if first.startswith("fr") else "en"
    return "en"


def activate(language: Language | None = None) -> Language:
    """Translate every later message into ``language`` (the locale's when ``None``); returns
    the language chosen. Also points the stdlib's global gettext (which click uses for its own
    usage, help and error messages) at our catalog, whose French covers them."""
    global _current, _language
    chosen: Language = language or from_environment()
    _language = chosen
    if chosen == "en":
        _current = gettext.NullTranslations()
    else:
        _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[chosen], fallback=True)
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    # click calls gettext.gettext(), which reads the language from the environment each time.
    os.environ["LANGUAGE"] = chosen
    return chosen


def language() -> Language:
    """The language messages are translated into now."""
    return _language


@contextmanager
def using(language: Language) -> Iterator[None]:
    """Translate into ``language`` inside the block only (tests, the API)."""
    global _current, _language
    saved, saved_language = _current, _language
    saved_env = os.environ.get("LANGUAGE")
    try:
        activate(language)
        yield
    finally:
        _current, _language = saved, saved_language
        if saved_env is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_env


def _(message: str) -> str:
    """``message`` in the current language (the English text when it has no translation)."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the current language."""
    return _current.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a constant for extraction; translate it with :func:`_` where it is shown."""
    return message
