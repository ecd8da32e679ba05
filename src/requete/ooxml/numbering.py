"""Word auto-numbering: the label ("3.", "2°)", "b)") each numbered paragraph displays."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from requete.ooxml.names import VAL, w

_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


@dataclass(frozen=True)
class Level:
    """One level of an abstract numbering: start, format, label template."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    style: str | None = None


@dataclass
class Instance:
    """A w:num: which abstract numbering it uses and which levels it restarts."""

    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)
    started: bool = False


class Numbering:
    """Counters of every list, advanced paragraph by paragraph in document order."""

    def __init__(self, root: etree._Element | None):
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.instances: dict[str, Instance] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is not None:
            self._load(root)

    def _load(self, root: etree._Element) -> None:
        for abstract in root.iter(w("abstractNum")):
            levels = {int(lvl.get(w("ilvl"), "0")): _level(lvl) for lvl in abstract.iter(w("lvl"))}
            self.abstracts[abstract.get(w("abstractNumId"), "")] = levels
        for num in root.iter(w("num")):
            ref = num.find(w("abstractNumId"))
            instance = Instance(abstract=ref.get(VAL, "") if ref is not None else "")
            for override in num.iter(w("lvlOverride")):
                ilvl = int(override.get(w("ilvl"), "0"))
                start = override.find(w("startOverride"))
                if start is not None:
                    instance.starts[ilvl] = int(start.get(VAL, "1"))
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    instance.levels[ilvl] = _level(lvl)
            self.instances[num.get(w("numId"), "")] = instance

    def level_of_style(self, num_id: str, style_id: str | None) -> int | None:
        """The level whose w:pStyle links it to this paragraph style, if any."""
        instance = self.instances.get(num_id)
        if instance is None or style_id is None:
            return None
        for ilvl, level in self.abstracts.get(instance.abstract, {}).items():
            if level.style == style_id:
                return ilvl
        return None

    def advance(self, num_id: str | None, ilvl: int) -> str | None:
        """Count one more paragraph of list num_id at level ilvl and return its label."""
        if not num_id or num_id == "0" or num_id not in self.instances:
            return None
        instance = self.instances[num_id]
        levels = {**self.abstracts.get(instance.abstract, {}), **instance.levels}
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(instance.abstract, {})
        if not instance.started:
            instance.started = True
            for level, start in instance.starts.items():
                counters[level] = start - 1
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        return _label(levels, counters, ilvl)


def _label(levels: dict[int, Level], counters: dict[int, int], ilvl: int) -> str:
    level = levels[ilvl]
    if level.fmt == "bullet":
        return "•" if not level.text or ord(level.text[0]) > 0xE000 else level.text
    if level.fmt == "none":
        return level.text if "%" not in level.text else ""
    text = level.text
    for k in range(9, 0, -1):
        if f"%{k}" in text:
            lvl = levels.get(k - 1, Level())
            value = counters.get(k - 1, lvl.start)
            text = text.replace(f"%{k}", format_number(value, lvl.fmt))
    return text


def format_number(value: int, fmt: str) -> str:
    """A counter in Word's number format (decimal, letters, roman; others as decimal)."""
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and value > 0:
        roman = _roman(value)
        return roman if fmt == "lowerRoman" else roman.upper()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        return f"{value}er" if value == 1 else f"{value}e"
    return str(value)


def _roman(value: int) -> str:
    out = []
    for number, letters in _ROMAN:
        count, value = divmod(value, number)
        out.append(letters * count)
    return "".join(out)


def _level(lvl: etree._Element) -> Level:
    def val(tag: str) -> str | None:
        el = lvl.find(w(tag))
        return None if el is None else el.get(VAL)

    start = val("start")
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        style=val("pStyle"),
    )
