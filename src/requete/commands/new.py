"""``requete new``: start a matter and its first filing by answering the questions a lawyer
can answer, each checked as it is given (and asked again when it is wrong), or from options
with ``--no-input``. The questions, the checks and the files written are in
:mod:`requete.newmatter`; this module only asks and prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from requete.commands._common import reports_errors
from requete.i18n import _, ngettext

if TYPE_CHECKING:
    from requete.api import Library
    from requete.newmatter import ActAnswer, CounselAnswer, FactNeed, InstanceAnswer

T = TypeVar("T")


def register(app: typer.Typer) -> None:
    """Add ``requete new`` to the app."""
    app.command(name="new")(new)


class _Skipped(Exception):
    """An answer missing or wrong under --no-input: the steps that need it are skipped, and
    everything missing is reported at the end in one message."""


@dataclass
class _Given:
    """The answers given as options (None: not given)."""

    procedure: str | None
    instance: str | None
    instance_date: str | None
    instance_procedure: str | None
    sommaire: bool | None
    act_nature: str | None
    act_gender: str | None
    act_number: str | None
    act_author: str | None
    act_title: str | None
    act_date: str | None
    publication_date: str | None
    notification_date: str | None
    applicants: list[str]
    counsel: str | None
    counsel_bar: str | None
    counsel_title: str | None
    counsel_address: str | None
    counsel_email: str | None
    filing_date: str | None
    place: str | None
    set: str | None
    facts: list[str]
    term: str | None
    directory: str | None


class _Interview:
    """Asks the questions (or takes the options), re-asking a wrong answer with its message."""

    def __init__(self, no_input: bool):
        self.no_input = no_input
        self.missing: list[str] = []
        self.invalid: list[str] = []

    def say(self, text: str = "") -> None:
        typer.echo(text)

    def warn(self, text: str) -> None:
        typer.echo(text, err=True)

    def choices(self, title: str, items: Sequence[tuple[str, str]]) -> None:
        """A numbered list the user may answer by number or by name."""
        if self.no_input:
            return
        self.say(title)
        for number, (ident, label) in enumerate(items, 1):
            self.say(f"  {number}. {ident} — {label}" if label != ident else f"  {number}. {ident}")

    def answer(
        self,
        given: str | None,
        option: str,
        question: str,
        parse: Callable[[str], T],
        default: str | None = None,
        required: bool = True,
    ) -> T:
        """The option's value when given (and right), else the answer to ``question``; under
        --no-input, the default, or ``_Skipped`` with the option recorded as missing."""
        from requete.newmatter import Invalid

        if given is not None:
            try:
                return parse(given)
            except Invalid as err:
                message = _("{option}: {message}").format(option=option, message=err.message)
                if self.no_input:
                    self.invalid.append(message)
                    raise _Skipped from None
                self.warn(message)
        elif self.no_input:
            if default is None and required:
                self.missing.append(option)
                raise _Skipped
            try:
                return parse(default or "")
            except Invalid as err:
                self.invalid.append(
                    _("{option}: {message}").format(option=option, message=err.message)
                )
                raise _Skipped from None
        return self.ask(question, parse, default)

    def ask(self, question: str, parse: Callable[[str], T], default: str | None = None) -> T:
        """Ask until the answer parses; each wrong answer is followed by why."""
        from requete.newmatter import Invalid

        while True:
            text = typer.prompt(question, default=default or "", show_default=bool(default))
            try:
                return parse(text)
            except Invalid as err:
                self.warn(err.message)


ProcedureOpt = Annotated[
    str | None,
    typer.Option(
        "--procedure",
        "-p",
        metavar="PROCEDURE",
        help="The procedure (requete list procedures); default annulation.",
    ),
]


@reports_errors
def new(
    procedure: ProcedureOpt = None,
    instance: Annotated[
        str | None,
        typer.Option(
            "--instance",
            metavar="NUMBER",
            help="Number of the pending requête the filing is made in.",
        ),
    ] = None,
    instance_date: Annotated[
        str | None,
        typer.Option(
            "--instance-date", metavar="DATE", help="Date that requête was registered (DD/MM/YYYY)."
        ),
    ] = None,
    instance_procedure: Annotated[
        str | None,
        typer.Option("--instance-procedure", help="Procedure of that requête (annulation)."),
    ] = None,
    sommaire: Annotated[
        bool | None,
        typer.Option(
            "--sommaire/--no-sommaire",
            help="That requête was a requête sommaire announcing a mémoire complémentaire.",
        ),
    ] = None,
    act_nature: Annotated[
        str | None,
        typer.Option("--act-nature", help="Nature of the contested act: arrêté, décret…"),
    ] = None,
    act_gender: Annotated[
        str | None,
        typer.Option(
            "--act-gender", metavar="f|m", help="f or m, for a nature requete does not know."
        ),
    ] = None,
    act_number: Annotated[
        str | None, typer.Option("--act-number", help="Number of the act, if it has one.")
    ] = None,
    act_author: Annotated[
        str | None,
        typer.Option("--act-author", help="Its author, with the article: le ministre de …"),
    ] = None,
    act_title: Annotated[
        str | None, typer.Option("--act-title", help="The official title of the act.")
    ] = None,
    act_date: Annotated[
        str | None, typer.Option("--act-date", metavar="DATE", help="Date of the act (DD/MM/YYYY).")
    ] = None,
    publication_date: Annotated[
        str | None,
        typer.Option(
            "--publication-date", metavar="DATE", help="Date the act was published (DD/MM/YYYY)."
        ),
    ] = None,
    notification_date: Annotated[
        str | None,
        typer.Option(
            "--notification-date", metavar="DATE", help="Or the date it was notified (DD/MM/YYYY)."
        ),
    ] = None,
    applicant: Annotated[
        list[str] | None,
        typer.Option(
            "--applicant",
            "-a",
            metavar="NAME|KIND",
            help='An applicant, "Name|kind" (association, société, syndicat, another form, or '
            'personne physique with "M. Name"), then optional |siege=…|objet=…; repeatable.',
        ),
    ] = None,
    counsel: Annotated[
        str | None, typer.Option("--counsel", help="Counsel's name: Me Jeanne Martin.")
    ] = None,
    counsel_bar: Annotated[
        str | None,
        typer.Option(
            "--counsel-bar",
            help="conseils (avocat au Conseil d'État et à la Cour de cassation) or the city of "
            "counsel's barreau.",
        ),
    ] = None,
    counsel_title: Annotated[
        str | None,
        typer.Option("--counsel-title", help="Or counsel's capacity, as it will be printed."),
    ] = None,
    counsel_address: Annotated[
        str | None, typer.Option("--counsel-address", help="Counsel's address.")
    ] = None,
    counsel_email: Annotated[
        str | None, typer.Option("--counsel-email", help="Counsel's e-mail address.")
    ] = None,
    filing_date: Annotated[
        str | None,
        typer.Option(
            "--filing-date", metavar="DATE", help="Date of the filing (DD/MM/YYYY); default today."
        ),
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Place of signature (Fait à …).")
    ] = None,
    argument_set: Annotated[
        str | None,
        typer.Option(
            "--set", "-s", metavar="SET", help="The argument set to start from (requete list sets)."
        ),
    ] = None,
    fact: Annotated[
        list[str] | None,
        typer.Option(
            "--fact",
            metavar="NAME=VALUE",
            help="A fact the arguments read, NAME=VALUE or NAME.FIELD=VALUE "
            "(competence=acte-reglementaire); repeatable.",
        ),
    ] = None,
    term: Annotated[
        str | None,
        typer.Option(
            "--term",
            metavar="requerant|exposant",
            help="requerant or exposant (default exposant for an intervention).",
        ),
    ] = None,
    directory: Annotated[
        str | None,
        typer.Option(
            "--directory",
            "-d",
            metavar="DIR",
            help="New directory to write to; default a slug of the matter.",
        ),
    ] = None,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Ask nothing: fail, naming the options missing."),
    ] = False,
) -> None:
    """Start a matter and its first filing: answer the questions (or give every answer as an
    option with --no-input); writes matter.yaml and the filing's case file."""
    from requete.errors import RequeteError
    from requete.newmatter import Invalid

    given = _Given(
        procedure,
        instance,
        instance_date,
        instance_procedure,
        sommaire,
        act_nature,
        act_gender,
        act_number,
        act_author,
        act_title,
        act_date,
        publication_date,
        notification_date,
        list(applicant or []),
        counsel,
        counsel_bar,
        counsel_title,
        counsel_address,
        counsel_email,
        filing_date,
        place,
        argument_set,
        list(fact or []),
        term,
        directory,
    )
    try:
        _run(given, _Interview(no_input))
    except Invalid as err:  # pragma: no cover - every answer is parsed where it is asked
        raise RequeteError(err.message) from None


def _run(given: _Given, iv: _Interview) -> None:
    from requete.errors import RequeteError
    from requete.newmatter import Answers, create, next_commands, open_library

    cwd = Path.cwd()
    today = dt.date.today()
    base = Path(given.directory).expanduser() if given.directory else cwd
    library = open_library(base if base.is_absolute() else cwd / base)

    procedure = _step(lambda: _procedure(iv, given, library))
    instance = _step(lambda: _instance(iv, given, library, procedure, today))
    act = _step(lambda: _act(iv, given, today))
    applicants = _step(lambda: _applicants(iv, given))
    counsel = _step(lambda: _counsel(iv, given))
    filing = _step(lambda: _filing_date(iv, given, library, procedure, act, instance, today))
    place = _step(lambda: _place(iv, given))
    chosen_set = _step(lambda: _set(iv, given, library, procedure))
    facts = _step(lambda: _facts(iv, given, library, procedure, chosen_set, today))
    terme = _step(lambda: _terme(iv, given, procedure))
    target = _step(lambda: _directory(iv, given, applicants, act, cwd))
    if iv.missing or iv.invalid:
        raise RequeteError(_no_input_message(iv))
    assert procedure and act and applicants and filing and chosen_set and terme and target
    assert facts is not None
    answers = Answers(
        procedure=procedure,
        act=act,
        applicants=applicants,
        set=chosen_set,
        filing_date=filing,
        directory=target,
        place=place,
        instance=instance,
        counsel=counsel,
        facts=facts,
        terme="exposant" if terme == "exposant" else "requerant",
    )
    written = create(answers, library)
    iv.say()
    iv.say(
        _("Wrote {matter} and {case}.").format(
            matter=_relative(written.matter, cwd), case=_relative(written.case, cwd)
        )
    )
    if written.placeholders:
        iv.say(
            ngettext(
                "The filing has {count} « [à compléter] » to fill in: requete check lists them.",
                "The filing has {count} « [à compléter] » to fill in: requete check lists them.",
                written.placeholders,
            ).format(count=written.placeholders)
        )
    iv.say(_("Next:"))
    for command in next_commands(written, cwd):
        iv.say(f"  {command}")


def _relative(path: Path, cwd: Path) -> str:
    from requete.newmatter import relative

    return relative(path, cwd)


def _step(fn: Callable[[], T]) -> T | None:
    """The step's answer, or None when it was skipped (--no-input, reported at the end)."""
    try:
        return fn()
    except _Skipped:
        return None


def _no_input_message(iv: _Interview) -> str:
    options = ", ".join(iv.missing)
    problems = "; ".join(iv.invalid)
    if iv.missing and iv.invalid:
        return _("--no-input: give {options}, and correct {problems}; nothing was written").format(
            options=options, problems=problems
        )
    if iv.missing:
        return _("--no-input: give {options}; nothing was written").format(options=options)
    return _("--no-input: correct {problems}; nothing was written").format(problems=problems)


def _need(value: T | None) -> T:
    """A value an earlier step gave, or skip this step (it was reported already)."""
    if value is None:
        raise _Skipped
    return value


# -- the steps ------------------------------------------------------------------------------


def _procedure(iv: _Interview, given: _Given, library: Library) -> str:
    from requete.newmatter import default_procedure, parse_procedure, procedure_choices

    if given.procedure is None:
        iv.choices(_("Procedures:"), procedure_choices(library))
    return iv.answer(
        given.procedure,
        "--procedure",
        _("Procedure"),
        lambda text: parse_procedure(text, library),
        default=default_procedure(library),
    )


def _instance(
    iv: _Interview, given: _Given, library: Library, procedure: str | None, today: dt.date
) -> InstanceAnswer | None:
    from requete.newmatter import (
        InstanceAnswer,
        asks_sommaire,
        needs_instance,
        parse_date,
        parse_instance_number,
        parse_procedure,
        parse_yes_no,
    )

    wanted = _need(procedure)
    if given.instance is None and not needs_instance(library, wanted):
        return None
    numero = _step(
        lambda: iv.answer(
            given.instance,
            "--instance",
            _("Number of the pending requête the filing is made in (« 500001 »)"),
            parse_instance_number,
        )
    )
    registered = _step(
        lambda: iv.answer(
            given.instance_date,
            "--instance-date",
            _("Date that requête was registered (DD/MM/YYYY)"),
            lambda text: parse_date(text, today),
        )
    )
    of = iv.answer(
        given.instance_procedure,
        "--instance-procedure",
        _("Procedure of that requête"),
        lambda text: parse_procedure(text, library),
        default="annulation",
    )
    sommaire = False
    if asks_sommaire(library, wanted):
        flag = None if given.sommaire is None else ("y" if given.sommaire else "n")
        sommaire = iv.answer(
            flag,
            "--sommaire",
            _("Was it a requête sommaire announcing a mémoire complémentaire? [Y/n]"),
            lambda text: parse_yes_no(text, True),
            required=False,
        )
    if numero is None or registered is None:
        raise _Skipped
    return InstanceAnswer(numero, of, registered, sommaire)


def _act(iv: _Interview, given: _Given, today: dt.date) -> ActAnswer:
    from requete.newmatter import (
        ActAnswer,
        Event,
        known_natures,
        nature_gender,
        parse_date,
        parse_event,
        parse_event_date,
        parse_genre,
        parse_nature,
        parse_number,
        parse_optional,
        parse_required,
    )

    examples = ", ".join(known_natures()[:6])
    nature = _step(
        lambda: iv.answer(
            given.act_nature,
            "--act-nature",
            _("Nature of the contested act ({examples}…)").format(examples=examples),
            parse_nature,
        )
    )
    genre = None
    if nature is not None and nature_gender(nature) is None:
        genre = _step(
            lambda: iv.answer(
                given.act_gender,
                "--act-gender",
                _("Is « {nature} » feminine (f: « la ») or masculine (m: « le »)?").format(
                    nature=nature
                ),
                parse_genre,
            )
        )
    numero = _step(
        lambda: iv.answer(
            given.act_number,
            "--act-number",
            _("Number of the act (empty if it has none)"),
            parse_number,
            required=False,
        )
    )
    auteur = _step(
        lambda: iv.answer(
            given.act_author,
            "--act-author",
            _("Author of the act, with the article (« le ministre de la santé »; empty: none)"),
            parse_optional,
            required=False,
        )
    )
    titre = _step(
        lambda: iv.answer(
            given.act_title, "--act-title", _("Official title of the act"), parse_required
        )
    )
    adopted = _step(
        lambda: iv.answer(
            given.act_date,
            "--act-date",
            _("Date of the contested act (DD/MM/YYYY)"),
            lambda text: parse_date(text, today),
        )
    )
    event: Event
    text: str | None
    if given.publication_date is not None and given.notification_date is not None:
        message = _("give --publication-date or --notification-date, not both")
        if iv.no_input:
            iv.invalid.append(message)
            raise _Skipped
        iv.warn(message)
        given.publication_date = given.notification_date = None
    if given.publication_date is not None:
        event, option, text = "publication", "--publication-date", given.publication_date
    elif given.notification_date is not None:
        event, option, text = "notification", "--notification-date", given.notification_date
    elif iv.no_input:
        iv.missing.append(_("--publication-date or --notification-date"))
        raise _Skipped
    else:
        event = iv.ask(
            _("Was the act published or notified? (publication/notification)"),
            parse_event,
            default="publication",
        )
        option, text = f"--{event}-date", None
    question = (
        _("Date of publication (DD/MM/YYYY)")
        if event == "publication"
        else _("Date of notification (DD/MM/YYYY)")
    )
    if adopted is None:  # skipped (--no-input): check the date alone
        _step(lambda: iv.answer(text, option, question, lambda value: parse_date(value, today)))
        raise _Skipped
    started = iv.answer(
        text, option, question, lambda value: parse_event_date(value, adopted, event, today)
    )
    if nature is None or titre is None or (genre is None and nature_gender(nature) is None):
        raise _Skipped
    return ActAnswer(nature, titre, adopted, event, started, genre, auteur, numero)


def _applicants(iv: _Interview, given: _Given) -> list[dict[str, Any]]:
    from requete.newmatter import Invalid, parse_applicant_spec

    out: list[dict[str, Any]] = []
    wrong = False
    for spec in given.applicants:
        try:
            out.append(parse_applicant_spec(spec))
        except Invalid as err:
            wrong = True
            message = _("--applicant: {message}").format(message=err.message)
            if iv.no_input:
                iv.invalid.append(message)
            else:
                iv.warn(message)
    if iv.no_input:
        if not given.applicants:
            iv.missing.append(_("--applicant (at least one)"))
        if wrong or not out:
            raise _Skipped
        return out
    if out and not wrong:
        return out
    while True:
        out.append(_one_applicant(iv, len(out) + 1))
        more = iv.ask(
            _("Add another applicant? [y/N]"),
            lambda text: _yes_no(text, False),
        )
        if not more:
            return out


def _yes_no(text: str, default: bool) -> bool:
    from requete.newmatter import parse_yes_no

    return parse_yes_no(text, default)


def _one_applicant(iv: _Interview, number: int) -> dict[str, Any]:
    from requete.newmatter import (
        NATURAL,
        OTHER,
        Invalid,
        form_gender,
        kind_labels,
        make_applicant,
        parse_civilite,
        parse_genre,
        parse_kind,
        parse_optional,
        parse_required,
        split_civilite,
    )

    while True:
        name = iv.ask(
            _(
                "Name of applicant {number} (a legal person's registered name, or "
                "« M. Jean Dupont »)"
            ).format(number=number),
            parse_required,
        )
        civilite, nom = split_civilite(name)
        iv.choices(_("Kinds of applicant:"), kind_labels())
        kind = iv.ask(
            _("Kind of applicant"),
            parse_kind,
            default=NATURAL if civilite else "association",
        )
        fields: dict[str, str | None] = {}
        if kind == NATURAL:
            if civilite is None:
                civilite = iv.ask(_("Civilité (M. or Mme)"), parse_civilite)
            name = f"{civilite} {nom}"
            fields["domicile"] = iv.ask(_("Domicile (empty: to complete later)"), parse_optional)
        else:
            forme = iv.ask(
                _("Legal form (« association régie par la loi du 1er juillet 1901 »…)"),
                parse_required,
                default=None if kind == OTHER else kind,
            )
            fields["forme"] = forme
            if form_gender(forme) is None:
                fields["genre"] = iv.ask(
                    _("Is « {form} » feminine (f: « la ») or masculine (m: « le »)?").format(
                        form=forme
                    ),
                    lambda text: parse_genre(text),
                )
            fields["siege"] = iv.ask(
                _("Registered office (siège; empty: to complete later)"), parse_optional
            )
            fields["representant"] = iv.ask(
                _("Legal representative (« M. Jean Dupont »; empty: to complete later)"),
                parse_optional,
            )
            if fields["representant"]:
                fields["qualite"] = iv.ask(
                    _("Capacity of the representative (« son président »)"), parse_optional
                )
            fields["objet"] = iv.ask(
                _("Statutory purpose (objet; empty: to complete later)"), parse_optional
            )
        try:
            return make_applicant(name, OTHER if kind == OTHER else kind, fields)
        except Invalid as err:
            iv.warn(err.message)


def _counsel(iv: _Interview, given: _Given) -> CounselAnswer | None:
    from requete.newmatter import (
        CounselAnswer,
        counsel_capacity,
        counsel_kind_labels,
        parse_counsel_bar,
        parse_counsel_kind,
        parse_email,
        parse_optional,
        parse_required,
    )

    if given.counsel is None:
        if iv.no_input:
            extra = [
                name
                for name, value in (
                    ("--counsel-bar", given.counsel_bar),
                    ("--counsel-title", given.counsel_title),
                    ("--counsel-address", given.counsel_address),
                    ("--counsel-email", given.counsel_email),
                )
                if value is not None
            ]
            if extra:
                iv.invalid.append(
                    _("{options}: give counsel's name with --counsel").format(
                        options=", ".join(extra)
                    )
                )
                raise _Skipped
            return None
        name = iv.ask(
            _("Counsel's name (« Me Jeanne Martin »; empty: to complete later)"), parse_optional
        )
        if name is None:
            return None
    else:
        name = iv.answer(given.counsel, "--counsel", "", parse_required)
    if given.counsel_bar is not None and given.counsel_title is not None:
        message = _("give --counsel-bar or --counsel-title, not both")
        if iv.no_input:
            iv.invalid.append(message)
            raise _Skipped
        iv.warn(message)
        given.counsel_bar = given.counsel_title = None
    if given.counsel_bar is not None:
        qualite = iv.answer(given.counsel_bar, "--counsel-bar", "", parse_counsel_bar)
    elif given.counsel_title is not None:
        qualite = iv.answer(given.counsel_title, "--counsel-title", "", parse_required)
    elif iv.no_input:
        iv.missing.append(_("--counsel-bar or --counsel-title"))
        raise _Skipped
    else:
        iv.choices(_("Counsel's capacity:"), counsel_kind_labels())
        kind = iv.ask(_("Counsel's capacity"), parse_counsel_kind, default="conseils")
        if kind == "barreau":
            qualite = iv.ask(
                _("City of the barreau"), lambda text: counsel_capacity("barreau", text)
            )
        elif kind == "autre":
            qualite = iv.ask(_("Counsel's capacity, as it will be printed"), parse_required)
        else:
            qualite = counsel_capacity("conseils", None)
    adresse = iv.answer(
        given.counsel_address,
        "--counsel-address",
        _("Counsel's address (empty: to complete later)"),
        parse_optional,
        required=False,
    )
    email = iv.answer(
        given.counsel_email,
        "--counsel-email",
        _("Counsel's e-mail address (empty: none)"),
        parse_email,
        required=False,
    )
    return CounselAnswer(name, qualite, adresse, email)


def _filing_date(
    iv: _Interview,
    given: _Given,
    library: Library,
    procedure: str | None,
    act: ActAnswer | None,
    instance: InstanceAnswer | None,
    today: dt.date,
) -> dt.date:
    from requete.newmatter import parse_filing_date, show_date

    wanted, contested = _need(procedure), _need(act)
    return iv.answer(
        given.filing_date,
        "--filing-date",
        _("Date of the filing (DD/MM/YYYY)"),
        lambda text: parse_filing_date(text, library, wanted, contested, instance),
        default=show_date(today),
    )


def _place(iv: _Interview, given: _Given) -> str | None:
    from requete.newmatter import parse_optional

    return iv.answer(
        given.place,
        "--place",
        _("Place of signature (« Paris »; empty: to complete later)"),
        parse_optional,
        required=False,
    )


def _set(iv: _Interview, given: _Given, library: Library, procedure: str | None) -> str:
    from requete.newmatter import parse_set, set_choices

    wanted = _need(procedure)
    fitting = set_choices(library, wanted)
    if given.set is None:
        iv.choices(_("Argument sets for this procedure:"), fitting)
    return iv.answer(
        given.set,
        "--set",
        _("Argument set"),
        lambda text: parse_set(text, library, wanted),
        default=fitting[0][0] if fitting else None,
    )


def _facts(
    iv: _Interview,
    given: _Given,
    library: Library,
    procedure: str | None,
    chosen_set: str | None,
    today: dt.date,
) -> dict[str, Any]:
    from requete.newmatter import Invalid, needed_facts, parse_fact_option

    needs = needed_facts(library, _need(procedure), _need(chosen_set))
    values: dict[str, Any] = {}
    for text in given.facts:
        try:
            need, value = parse_fact_option(text, needs, library, today)
        except Invalid as err:
            message = _("--fact: {message}").format(message=err.message)
            if iv.no_input:
                iv.invalid.append(message)
                continue
            iv.warn(message)
            continue
        if need.type == "list":
            values.setdefault(need.name, []).append(value)
        else:
            values[need.name] = value
    from requete.newmatter import extra_needs

    for need in needs + extra_needs(values, needs, library):
        if need.asked and need.name not in values:
            if iv.no_input:
                iv.missing.append(_fact_option(need))
                continue
            values[need.name] = _ask_fact(iv, need, today, required=True)
    if iv.no_input:
        return values
    rest = [n for n in needs if not n.asked and n.type != "piece" and not n.optional]
    rest = [n for n in rest if n.name not in values]
    if not rest:
        return values
    now: bool = iv.ask(
        ngettext(
            "Answer now the {count} other fact the arguments read? Unanswered, it stays "
            "« [à compléter] ». [y/N]",
            "Answer now the {count} other facts the arguments read? Unanswered, they stay "
            "« [à compléter] ». [y/N]",
            len(rest),
        ).format(count=len(rest)),
        lambda text: _yes_no(text, False),
    )
    if now:
        for need in rest:
            value = _ask_fact(iv, need, today, required=False)
            if value is not None and value != []:
                values[need.name] = value
    return values


def _fact_option(need: FactNeed) -> str:
    if need.values:
        return f"--fact {need.name}=<{'|'.join(need.values)}>"
    return f"--fact {need.name}=…"


def _ask_fact(iv: _Interview, need: FactNeed, today: dt.date, required: bool) -> Any:
    from requete.newmatter import parse_fact_value

    iv.say(f"{need.name} : {' '.join(need.description.split())}")
    if need.values:
        iv.choices(_("Values:"), [(v, v) for v in need.values])

    def parse(text: str) -> Any:
        if not required and not text.strip():
            return None
        return parse_fact_value(need, text, today)

    if need.type == "list":
        items: list[Any] = []
        while True:
            item = iv.ask(
                _("Item {number} of {name} (empty: no more)").format(
                    number=len(items) + 1, name=need.name
                ),
                lambda text: None if not text.strip() else parse_fact_value(need, text, today),
            )
            if item is None:
                return items
            items.append(item)
    if need.type == "date":
        question = _("Value of {name} (DD/MM/YYYY)").format(name=need.name)
    elif required:
        question = _("Value of {name}").format(name=need.name)
    else:
        question = _("Value of {name} (empty: « [à compléter] »)").format(name=need.name)
    return iv.ask(question, parse)


def _terme(iv: _Interview, given: _Given, procedure: str | None) -> str:
    from requete.newmatter import Invalid, default_terme

    def parse(text: str) -> str:
        value = text.strip().lower().replace("é", "e")
        if value in ("requerant", "exposant"):
            return value
        raise Invalid(_("answer requerant or exposant"))

    default = default_terme(_need(procedure))
    if given.term is None:
        return default
    return iv.answer(
        given.term, "--term", _("Defined term (requerant or exposant)"), parse, default
    )


def _directory(
    iv: _Interview,
    given: _Given,
    applicants: list[dict[str, Any]] | None,
    act: ActAnswer | None,
    cwd: Path,
) -> Path:
    from requete.newmatter import default_directory, parse_directory

    default = default_directory(applicants, act) if applicants and act else None
    if default is None and given.directory is None and iv.no_input:
        raise _Skipped  # its default waits for the answers reported missing
    return iv.answer(
        given.directory,
        "--directory",
        _("Directory to write the matter to"),
        lambda text: parse_directory(text, cwd),
        default=default,
    )
