"""Word templates by layer: a ``.docx``, or a ``.yaml`` that extends another with a firm's styles.

``templates/cabinet.yaml``::

    extends: requete          # the template whose layout (and Jinja tags) is kept
    styles: cabinet.docx      # any Word file: its styles replace the base's, by style id

A firm restyles in Word (headings, numbered paragraphs, quotations…), saves the file, and
keeps receiving the built-in layout's fixes; styles it does not define are inherited.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from requete.errors import Problem, RenderError, RequeteError
from requete.i18n import _
from requete.paths import contained

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLES = "word/styles.xml"
MAX_PART = 20_000_000
MAX_UNPACKED = 200_000_000  # declared uncompressed content of a template or styles file


@dataclass(frozen=True)
class TemplateExtension:
    """A template that keeps another's layout and overrides its styles."""

    name: str
    path: Path
    extends: str
    styles: Path


def load_extension(path: Path, root: Path) -> TemplateExtension | Problem:
    """Read ``templates/<name>.yaml``; a Problem when it is malformed."""
    from requete.yamlfile import load_yaml

    try:
        data, lines = load_yaml(path)
    except RequeteError as err:
        return Problem("error", err.message, path, err.line)
    if (
        not isinstance(data, dict)
        or set(data) - {"extends", "styles", "description"}
        or not (isinstance(data.get("extends"), str) and isinstance(data.get("styles"), str))
    ):
        return Problem(
            "error",
            _(
                "a template extension needs `extends: <template>` and "
                "`styles: <file.docx>` (and optionally `description`)"
            ),
            path,
            1,
        )
    styles = path.parent / data["styles"]
    if not contained(styles, root) or not styles.is_file():
        return Problem(
            "error",
            _("styles file '{file}' not found inside the library").format(file=data["styles"]),
            path,
            lines.line(("styles",)),
        )
    return TemplateExtension(path.stem, path, data["extends"], styles)


def template_bytes(
    name: str, files: dict[str, Path], extensions: dict[str, TemplateExtension]
) -> bytes:
    """The .docx bytes of template ``name``, extensions applied (base first)."""
    chain: list[TemplateExtension] = []
    current = name
    while current in extensions:
        if any(e.name == current for e in chain):
            raise RenderError(
                _("cycle in template `extends` at '{name}'").format(name=current),
                extensions[current].path,
            )
        chain.append(extensions[current])
        current = extensions[current].extends
    if current not in files:
        where = chain[-1].path if chain else None
        raise RenderError(
            _("template '{name}' not found in any library layer").format(name=current), where
        )
    data = _read(files[current])
    for extension in reversed(chain):
        data = restyle(data, _read(extension.styles), extension.styles)
    return data


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_PART:
            raise RenderError(_("Word file larger than 20 MB; refused"), path)
        return path.read_bytes()
    except OSError as err:
        raise RenderError(
            _("cannot read the Word file ({reason})").format(reason=err.strerror), path
        ) from err


def restyle(base: bytes, firm: bytes, label: Path) -> bytes:
    """``base`` with every style (and the document defaults) of ``firm`` replacing its own."""
    base_styles = _styles(base, label)
    firm_styles = _styles(firm, label)
    by_id = {s.get(f"{{{W}}}styleId"): s for s in base_styles.iter(f"{{{W}}}style")}
    for style in firm_styles.iter(f"{{{W}}}style"):
        ident = style.get(f"{{{W}}}styleId")
        if ident in by_id:
            by_id[ident].addprevious(style)
            base_styles.remove(by_id[ident])
        else:
            base_styles.append(style)
    defaults = firm_styles.find(f"{{{W}}}docDefaults")
    current = base_styles.find(f"{{{W}}}docDefaults")
    if defaults is not None and current is not None:
        current.addprevious(defaults)
        base_styles.remove(current)
    xml = etree.tostring(base_styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _replace_part(base, STYLES, xml, label)


def _styles(data: bytes, label: Path) -> etree._Element:
    from requete.ooxml.package import ZIP_ERRORS, check_zip, xml_parser

    check_zip(data, label, RenderError, MAX_UNPACKED)
    parser = xml_parser()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo(STYLES)
            if info.file_size > MAX_PART:
                raise RenderError(_("styles part larger than 20 MB; refused"), label)
            return etree.fromstring(package.read(STYLES), parser)
    except (*ZIP_ERRORS, KeyError, etree.XMLSyntaxError) as err:
        raise RenderError(
            _("not a Word file with styles ({error})").format(error=err), label
        ) from None


def _replace_part(data: bytes, name: str, content: bytes, label: Path) -> bytes:
    """``data`` with part ``name`` replaced; unsafe entry names (``..``, absolute) dropped."""
    from requete.ooxml.package import ZIP_ERRORS, check_zip, safe_name, write_package

    infos = check_zip(data, label, RenderError, MAX_UNPACKED)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            entries = [
                (
                    info.filename,
                    content if info.filename == name else source.read(info),
                    info.compress_type,
                )
                for info in infos
                if safe_name(info.filename)
            ]
    except ZIP_ERRORS as err:
        raise RenderError(
            _("the Word file is damaged ({error})").format(error=err), label
        ) from None
    return write_package(entries)
