"""The floor: bare docxtpl rendering of an already assembled filing into the same template.

``--prepare CASE --out X.pickle`` assembles the case once with requete (untimed) and pickles
the Document and the template path. ``--pickled-context X.pickle -o OUT.docx`` is the timed
side: load the pickle, build the same docxtpl context requete builds (RichText runs), render
the template and save — no library loading, validation, citation, manifest or zip work.
"""

from __future__ import annotations

import argparse
import io
import pickle
from pathlib import Path
from typing import Any


def prepare(case: Path, out: Path) -> None:
    """Assemble ``case`` with requete's own pipeline and pickle what the render needs."""
    from requete import pipeline

    session = pipeline.open_case(case)
    document = pipeline.assemble_document(session)
    payload = {"document": document, "template": _template(pipeline, session)}
    out.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))


def _template(pipeline: Any, session: Any) -> bytes:
    """The bytes of the Word template the case uses, whichever helper the pipeline has."""
    if hasattr(pipeline, "template_source"):
        return bytes(pipeline.template_source(session))
    return Path(pipeline.template_path(session)).read_bytes()


def render(pickled: Path, output: Path) -> None:
    """Render the pickled Document with docxtpl only, as a bare docxtpl user would."""
    from docxtpl import DocxTemplate, RichText

    from requete.render import _context, _Rich

    payload: dict[str, Any] = pickle.loads(pickled.read_bytes())
    tpl = DocxTemplate(io.BytesIO(payload["template"]))
    styles = {style.style_id for style in tpl.get_docx().styles}
    tpl.render(_context(payload["document"], _Rich(RichText, styles)), autoescape=True)
    tpl.save(str(output))


def main() -> None:
    """Command line: --prepare CASE --out X, or --pickled-context X -o OUT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", type=Path, metavar="CASE")
    parser.add_argument("--out", type=Path, help="Where --prepare writes the pickle.")
    parser.add_argument("--pickled-context", type=Path, metavar="PICKLE")
    parser.add_argument("-o", "--output", type=Path, help="The .docx the floor writes.")
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.out)
    elif args.pickled_context and args.output:
        render(args.pickled_context, args.output)
    else:
        parser.error("give --prepare CASE --out X, or --pickled-context X -o OUT")


if __name__ == "__main__":
    main()
