"""The studio's pages and forms through Starlette's test client (no browser): what it refuses
(other hosts, other sites, large bodies, paths out of its folder), what it writes (overlay
operations as readable YAML, the matter's fields, a new matter) and what it never loses (a
file changed on disk, a change that would break the filing)."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # starlette 1.x would rather have httpx2; httpx still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from requete.studio.app import make_app

ROOT = Path(__file__).resolve().parents[2]
PORT = 8765
ORIGIN = {"origin": f"http://127.0.0.1:{PORT}"}
HX = {**ORIGIN, "hx-request": "true"}
CASE = "exemple/annulation.yaml"


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "cabinet"
    shutil.copytree(ROOT / "examples" / "new-matter", folder / "exemple")
    return folder


def client(root: Path, **options: int) -> TestClient:
    return TestClient(make_app(root, PORT, **options), base_url=f"http://127.0.0.1:{PORT}")


def _version(page: str) -> str:
    found = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert found, "no version token in the page"
    return found.group(1)


# -- what it refuses --------------------------------------------------------------------------


def test_another_host_name_is_refused(work: Path) -> None:
    """DNS rebinding: a page of evil.example resolved to 127.0.0.1 gets nothing."""
    c = client(work)
    assert c.get("/", headers={"host": "evil.example"}).status_code == 421
    assert c.get("/", headers={"host": f"127.0.0.1:{PORT + 1}"}).status_code == 421
    assert c.get("/").status_code == 200
    assert c.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


def test_a_post_from_another_site_is_refused_and_writes_nothing(work: Path) -> None:
    c = client(work)
    before = (work / CASE).read_bytes()
    version = _version(c.get(f"/dossier/{CASE}").text)
    data = {"action": "remove", "block": "recevabilite-delai", "version": version}
    for headers in ({}, {"origin": "http://evil.example"}, {"referer": "http://evil.example/x"}):
        response = c.post(f"/dossier/{CASE}/operation", data=data, headers=headers)
        assert response.status_code == 403, headers
        assert "autre site" in response.text
    assert (work / CASE).read_bytes() == before
    same = c.post(
        f"/dossier/{CASE}/operation",
        data=data,
        headers={"referer": f"http://127.0.0.1:{PORT}/dossier/{CASE}"},
    )
    assert same.status_code == 200  # without htmx: the whole page, with what was done
    assert "retiré" in same.text
    assert (work / CASE).read_bytes() != before


def test_cross_site_reads_are_refused(work: Path) -> None:
    response = client(work).get(f"/dossier/{CASE}/docx", headers={"sec-fetch-site": "cross-site"})
    assert response.status_code == 403


def test_bodies_over_the_limit_are_refused(work: Path) -> None:
    c = client(work, max_upload=1000)
    big = {"old_file": ("a.docx", b"x" * 5000), "new_file": ("b.docx", b"y")}
    response = c.post("/comparer", files=big, headers=ORIGIN)
    assert response.status_code == 413
    assert "Envoi refusé" in response.text

    def chunks():  # no Content-Length: counted as it is read
        for _ in range(10):
            yield b"a=" + b"x" * 500 + b"&"

    response = c.post(
        "/nouveau/verifier",
        content=chunks(),
        headers={**ORIGIN, "content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_pages_carry_the_security_headers(work: Path) -> None:
    response = client(work).get("/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert "https://" not in response.text  # nothing loaded from the internet
    script = re.findall(r'<script src="([^"]+)"', response.text)
    assert script == ["/static/htmx.min.js"]
    assert client(work).get(script[0]).status_code == 200


def test_paths_out_of_the_folder_are_refused(work: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("matter: x\nprocedure: annulation\ndate: 2024-01-01\n", encoding="utf-8")
    (work / "lien.yaml").symlink_to(secret)
    c = client(work)
    for path in ("/dossier/../secret.yaml", "/dossier/lien.yaml", "/dossier/%2e%2e/secret.yaml"):
        response = c.get(path)
        assert response.status_code == 404, path
        assert "Traceback" not in response.text
    assert "hors du dossier" in c.get("/dossier/lien.yaml").text


def test_a_missing_filing_is_a_french_page_not_a_traceback(work: Path) -> None:
    response = client(work).get("/dossier/exemple/absent.yaml")
    assert response.status_code == 404
    assert "aucun fichier" in response.text.lower()


# -- what it writes ---------------------------------------------------------------------------


def test_the_home_page_lists_the_matters_and_their_filings(work: Path) -> None:
    page = client(work).get("/").text
    assert f'href="/dossier/{CASE}"' in page
    assert 'href="/dossier/exemple/refere-suspension.yaml"' in page
    assert "matters/plateforme-exemple.yaml" not in page  # a matter file is not a filing


def test_remove_then_add_back_writes_readable_overlay_operations(work: Path) -> None:
    from requete import api

    c = client(work)
    case = work / CASE
    original = case.read_text(encoding="utf-8")
    page = c.get(f"/dossier/{CASE}").text
    block = "recevabilite-delai"
    assert f'id="bloc-{block}"' in page
    response = c.post(
        f"/dossier/{CASE}/operation",
        data={"action": "remove", "block": block, "version": _version(page)},
        headers=HX,
    )
    assert response.status_code == 200
    assert response.headers["hx-trigger"] == "refresh-preview"
    assert f'id="bloc-{block}"' not in response.text
    text = case.read_text(encoding="utf-8")
    assert f"remove:\n  - {block}\n" in text
    assert str(work) not in response.text  # paths shown relative to the folder
    assert text.startswith(original.split("\nmatter:")[0])  # the comments are kept
    assert block not in [b.id for b in api.load_case(case).blocks]
    preview = c.get(f"/dossier/{CASE}/apercu").text
    assert f'id="apercu-{block}"' not in preview

    response = c.post(
        f"/dossier/{CASE}/operation",
        data={"action": "add", "block": block, "version": _version(response.text)},
        headers=HX,
    )
    assert case.read_text(encoding="utf-8") == original  # back as it was, nothing left over
    assert f'id="bloc-{block}"' in response.text


def test_moving_a_block_writes_a_move_and_changes_the_order(work: Path) -> None:
    from requete import api

    c = client(work)
    case = work / CASE
    order = [b.id for b in api.load_case(case).blocks]
    page = c.get(f"/dossier/{CASE}").text
    second = next(
        b
        for i, b in enumerate(order[1:], 1)
        if api.load_case(case).blocks[i].block.section
        == api.load_case(case).blocks[i - 1].block.section
    )
    before = order[order.index(second) - 1]
    c.post(
        f"/dossier/{CASE}/operation",
        data={"action": "up", "block": second, "target": before, "version": _version(page)},
        headers=HX,
    )
    moved = [b.id for b in api.load_case(case).blocks]
    assert moved.index(second) == moved.index(before) - 1
    assert f"move:\n  - block: {second}\n    before: {before}\n" in case.read_text(encoding="utf-8")


def test_an_application_override_is_written_with_its_base_version(work: Path) -> None:
    from requete import api

    c = client(work)
    case = work / CASE
    session = api.load_case(case)
    target = next(b for b in session.blocks if b.block.application)
    page = c.get(f"/dossier/{CASE}").text
    text = "En l'espèce, l'arrêté attaqué méconnaît ces exigences.\nDeuxième phrase."
    c.post(
        f"/dossier/{CASE}/operation",
        data={
            "action": "override",
            "block": target.id,
            "base_version": str(target.library_version),
            "application": text,
            "version": _version(page),
        },
        headers=HX,
    )
    written = case.read_text(encoding="utf-8")
    assert f"  - block: {target.id}\n    base_version: {target.library_version}\n" in written
    assert "    application: |\n      En l'espèce" in written
    resolved = {b.id: b for b in api.load_case(case).blocks}
    assert resolved[target.id].block.application == text + "\n"
    assert "En l’espèce, l’arrêté attaqué méconnaît" in c.get(f"/dossier/{CASE}/apercu").text


def test_a_file_changed_on_disk_is_not_overwritten(work: Path) -> None:
    c = client(work)
    case = work / CASE
    page = c.get(f"/dossier/{CASE}").text
    changed = case.read_text(encoding="utf-8") + "# modifié dans l'éditeur\n"
    case.write_text(changed, encoding="utf-8")
    response = c.post(
        f"/dossier/{CASE}/operation",
        data={"action": "remove", "block": "recevabilite-delai", "version": _version(page)},
        headers=HX,
    )
    assert case.read_text(encoding="utf-8") == changed
    assert "changé sur le disque" in response.text
    assert "rien n&#39;a été écrit" in response.text
    assert 'class="alert error"' in response.text


def test_a_change_that_breaks_the_filing_is_undone(work: Path) -> None:
    """Removing a block another one requires is an error: the file is put back."""
    from requete import api

    c = client(work)
    case = work / CASE
    before = case.read_bytes()
    session = api.load_case(case)
    required = next(r for b in session.blocks for r in b.block.requires)
    response = c.post(
        f"/dossier/{CASE}/operation",
        data={
            "action": "remove",
            "block": required,
            "version": _version(c.get(f"/dossier/{CASE}").text),
        },
        headers=HX,
    )
    assert case.read_bytes() == before
    assert "annulée" in response.text or "annulé" in response.text
    assert 'class="problem error"' in response.text


def test_the_matter_form_writes_one_field_and_keeps_the_comments(work: Path) -> None:
    c = client(work)
    matter = work / "exemple" / "matters" / "plateforme-exemple.yaml"
    original = matter.read_text(encoding="utf-8")
    page = c.get(f"/dossier/{CASE}/affaire").text
    assert 'name="f:acte.titre"' in page
    response = c.post(
        f"/dossier/{CASE}/affaire",
        data={
            "version": _version(page),
            "f:requerants.0.siege": "12 rue de l'Exemple, 75001 Paris",
        },
        headers=ORIGIN,
    )
    assert response.status_code == 200, response.text
    written = matter.read_text(encoding="utf-8")
    assert "siege: 12 rue de l'Exemple, 75001 Paris" in written
    assert [line for line in written.splitlines() if line.startswith("#")] == [
        line for line in original.splitlines() if line.startswith("#")
    ]
    assert "12 rue de l’Exemple, 75001 Paris" in c.get(f"/dossier/{CASE}/apercu").text


def test_a_wrong_value_in_the_matter_form_is_named_and_nothing_is_lost(work: Path) -> None:
    c = client(work)
    matter = work / "exemple" / "matters" / "plateforme-exemple.yaml"
    before = matter.read_bytes()
    page = c.get(f"/dossier/{CASE}/affaire").text
    response = c.post(
        f"/dossier/{CASE}/affaire",
        data={
            "version": _version(page),
            "f:acte.date": "31/02/2025",
            "f:requerants.0.siege": "ce que l'avocat a tapé",
        },
        headers=ORIGIN,
    )
    assert response.status_code == 422
    assert matter.read_bytes() == before
    assert "n&#39;est pas une date qui existe" in response.text
    assert "ce que l&#39;avocat a tapé" in response.text  # the typed values are kept


def test_the_new_matter_form_names_each_wrong_field_in_french(work: Path) -> None:
    c = client(work)
    response = c.post(
        "/nouveau",
        data={"procedure": "annulation", "act_date": "2025-02-30", "event_date": "hier"},
        headers=ORIGIN,
    )
    assert response.status_code == 422
    page = response.text
    assert re.search(r'id="err-act_date">[^<]*n&#39;est pas une date qui existe', page)
    assert re.search(r'id="err-act_title">[^<]*réponse est requise', page)
    assert re.search(r'id="err-applicant0_name">[^<]*au moins un requérant', page)
    assert sorted(p.name for p in work.iterdir()) == ["exemple"]  # nothing written


def test_the_new_matter_form_takes_its_limits_from_the_json_schema(work: Path) -> None:
    from requete.api import file_schema
    from requete.studio.newform import html_attributes, schema_error

    piece = file_schema("matter")["$defs"]["Party"]["properties"]["denomination"]
    assert html_attributes("applicant0_name").get("minlength") == str(
        next(c for c in piece["anyOf"] if c.get("type") == "string")["minLength"]
    )
    assert schema_error("act_title", "") is None


def test_a_new_matter_is_written_inside_the_folder_and_opens(work: Path) -> None:
    c = client(work)
    form = {
        "procedure": "annulation",
        "act_nature": "arrêté",
        "act_number": "EXMP2025-01",
        "act_author": "le ministre de l'Exemple",
        "act_title": "arrêté n° EXMP2025-01 du 3 mars 2025 du ministre de l'Exemple portant création",
        "act_date": "03/03/2025",
        "event": "publication",
        "event_date": "14/03/2025",
        "applicant0_name": "Exemple Santé Libertés",
        "applicant0_kind": "association",
        "counsel": "Me Jeanne Martin",
        "counsel_kind": "conseils",
        "filing_date": "30/04/2025",
        "place": "Paris",
        "set": "transferts-donnees-annulation",
        "fact_competence": "acte-reglementaire",
        "fact_frais_irrepetibles": "0",
        "directory": "nouvelle",
    }
    response = c.post("/nouveau", data=form, headers=ORIGIN, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dossier/nouvelle/annulation.yaml"
    assert (work / "nouvelle" / "matter.yaml").is_file()
    assert c.get("/dossier/nouvelle/annulation.yaml").status_code == 200
    again = c.post("/nouveau", data=form, headers=ORIGIN)
    assert again.status_code == 422
    assert "pas vide" in again.text  # never over an existing matter
    escape = c.post("/nouveau", data={**form, "directory": "../dehors"}, headers=ORIGIN)
    assert escape.status_code == 422
    assert not (work.parent / "dehors").exists()


def test_the_live_check_returns_only_errors_and_the_parts_that_follow(work: Path) -> None:
    c = client(work)
    response = c.post(
        "/nouveau/verifier",
        data={"procedure": "memoire-complementaire", "act_date": "32/01/2025"},
        headers={**HX, "hx-trigger-name": "procedure"},
    )
    assert 'id="dyn-instance" hx-swap-oob="true"' in response.text
    assert 'name="instance_number"' in response.text
    assert re.search(r'id="err-act_date" hx-swap-oob="true">[^<]+', response.text)
    assert 'name="act_title"' not in response.text  # what the user is typing is not replaced


def test_deadline_page_gives_the_reasoning(work: Path) -> None:
    page = client(work).get(f"/dossier/{CASE}/delai").text
    assert "R. 421-1" in page
    assert "14 mars 2025" in page
    last = re.search(r'id="last-day">Dernier jour pour déposer : <strong>([^<]+)', page)
    assert last and last.group(1) == "jeudi 15 mai 2025"  # two months, délai franc


def test_review_of_two_uploaded_drafts_gives_summary_and_redline(work: Path) -> None:
    from requete import api

    c = client(work)
    old = api.build(api.load_case(work / CASE)).docx
    (work / CASE).write_text(
        (work / CASE).read_text(encoding="utf-8") + "remove: [recevabilite-delai]\n",
        encoding="utf-8",
    )
    new = api.build(api.load_case(work / CASE)).docx
    response = c.post(
        "/comparer",
        files={
            "old_file": ("v1.docx", old, "application/octet-stream"),
            "new_file": ("v2.docx", new),
        },
        headers=ORIGIN,
    )
    assert response.status_code == 200, response.text
    assert "recevabilite-delai" in response.text
    token = re.search(r'href="/comparer/([^/]+)/redline.docx"', response.text)
    assert token
    redline = c.get(f"/comparer/{token.group(1)}/redline.docx")
    assert redline.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert b"word/document.xml" in redline.content


def test_an_upload_that_is_not_a_docx_is_a_clear_error(work: Path) -> None:
    response = client(work).post(
        "/comparer",
        files={"old_file": ("a.docx", b"not a zip"), "new_file": ("b.docx", b"PK\x03\x04junk")},
        headers=ORIGIN,
    )
    assert response.status_code == 422
    assert "Traceback" not in response.text
    assert "alert error" in response.text


def test_git_revisions_are_checked_before_git_sees_them(work: Path) -> None:
    response = client(work).post(
        "/comparer",
        data={"case": CASE, "old_rev": "--output=/tmp/x", "new_rev": ""},
        headers=ORIGIN,
    )
    assert response.status_code == 422
    assert "Révision git invalide" in response.text


def test_the_docx_download_is_the_build(work: Path) -> None:
    from requete import api

    response = client(work).get(f"/dossier/{CASE}/docx")
    assert response.status_code == 200
    assert 'filename="annulation.docx"' in response.headers["content-disposition"]
    manifest = api.read_manifest(response.content)
    assert manifest is not None
    resolved = [b.id for b in api.load_case(work / CASE).blocks]
    built = [b.id for b in manifest.blocks]  # a block whose condition is false is left out
    assert built == [b for b in resolved if b in built] and len(built) > 10


@pytest.mark.libreoffice
def test_pdf_and_bundle_with_libreoffice(work: Path) -> None:
    import io
    import zipfile

    if shutil.which("soffice") is None:
        pytest.skip("needs LibreOffice")
    c = client(work)
    pdf = c.get(f"/dossier/{CASE}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    refused = c.post(f"/dossier/{CASE}/depot", data={}, headers=ORIGIN)
    assert refused.status_code == 422  # « [à compléter] » left: no bundle
    assert "bundle-problems" in refused.text
    made = c.post(
        f"/dossier/{CASE}/depot", data={"draft": "1", "allow_missing": "1"}, headers=ORIGIN
    )
    assert made.status_code == 200, made.text[:2000]
    names = zipfile.ZipFile(io.BytesIO(made.content)).namelist()
    assert any(n.endswith(".pdf") for n in names)
    assert not any((work / "exemple").glob("depot*"))  # nothing written into the folder


# -- found by review: each of these failed before its fix ---------------------------------------


EMC2 = ROOT / "cases" / "emc2"


@pytest.fixture()
def emc2(tmp_path: Path) -> Path:
    folder = tmp_path / "cabinet"
    shutil.copytree(EMC2, folder)
    return folder


def _post(c: TestClient, case: str, **data: str) -> str:
    version = _version(c.get(f"/dossier/{case}").text)
    return c.post(f"/dossier/{case}/operation", data={"version": version, **data}, headers=HX).text


def _order(path: Path) -> list[str]:
    from requete import api

    return [b.id for b in api.load_case(path).blocks]


def test_only_filings_take_operations(emc2: Path) -> None:
    c = client(emc2)
    matter = emc2 / "matters" / "emc2.yaml"
    before = matter.read_bytes()
    for path in ("matters/emc2.yaml", "sets/emc2-annulation.yaml"):
        page = c.get(f"/dossier/{path}")
        assert page.status_code == 404 and "pas une écriture" in page.text
        response = c.post(
            f"/dossier/{path}/operation",
            data={"action": "remove", "block": "x", "version": "0"},
            headers=ORIGIN,
        )
        assert "pas une écriture" in response.text
    assert matter.read_bytes() == before


def test_a_write_keeps_the_link_and_the_permissions(work: Path) -> None:
    shared = work / "partage"
    shared.mkdir()
    matter = work / "exemple" / "matters" / "plateforme-exemple.yaml"
    target = shared / "plateforme-exemple.yaml"
    matter.rename(target)
    matter.symlink_to(target)
    target.chmod(0o600)
    c = client(work)
    page = c.get(f"/dossier/{CASE}/affaire").text
    c.post(
        f"/dossier/{CASE}/affaire",
        data={"version": _version(page), "f:requerants.0.siege": "1 rue X, Paris"},
        headers=ORIGIN,
    )
    assert matter.is_symlink() and "1 rue X, Paris" in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o600


def test_an_error_already_there_does_not_block_other_changes(emc2: Path) -> None:
    case = emc2 / "annulation.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace(
            "set: emc2-annulation",
            "set: emc2-annulation\n"
            "override:\n  - block: moyen-absence-mise-en-concurrence\n    notes: voir [@inconnu]\n",
        ),
        encoding="utf-8",
    )
    c = client(emc2)
    errors = c.get("/dossier/annulation.yaml").text
    assert re.search(r"<strong>[1-9]\d*</strong> erreur", errors)
    block = next(b for b in _order(case) if b.startswith("recevabilite-delai"))
    text = _post(c, "annulation.yaml", action="remove", block=block)
    assert "retiré" in text and block not in _order(case)


def test_remove_refuses_to_lose_an_override_or_a_comment(work: Path) -> None:
    from requete.studio import edits

    c = client(work)
    case = work / CASE
    target = _order(case)[2]
    c.post(
        f"/dossier/{CASE}/operation",
        data={
            "action": "override",
            "block": target,
            "application": "Mon texte.",
            "version": _version(c.get(f"/dossier/{CASE}").text),
        },
        headers=HX,
    )
    before = case.read_bytes()
    text = _post(c, CASE, action="remove", block=target)
    assert case.read_bytes() == before and "perdrait ce texte" in text
    old = "a: 1\nadd:\n  - block: x\n# about pieces\npieces: []\n"
    assert edits.lost_comments(old, "a: 1\npieces: []\n") == ["# about pieces"]


def test_a_matter_change_is_checked_against_every_filing_that_reads_it(emc2: Path) -> None:
    c = client(emc2)
    matter = emc2 / "matters" / "emc2.yaml"
    before = matter.read_bytes()
    page = c.get("/dossier/annulation.yaml/affaire").text
    field = "f:facts.piece_requete_annulation"
    assert f'name="{field}"' in page
    response = c.post(
        "/dossier/annulation.yaml/affaire",
        data={"version": _version(page), field: ""},
        headers=ORIGIN,
    )
    assert response.status_code == 422
    assert matter.read_bytes() == before
    assert "refere-suspension.yaml" in response.text or "memoire" in response.text


def test_typed_application_text_stays_when_the_file_changed(work: Path) -> None:
    c = client(work)
    case = work / CASE
    page = c.get(f"/dossier/{CASE}").text
    case.write_text(case.read_text(encoding="utf-8") + "# édité ailleurs\n", encoding="utf-8")
    target = _order(case)[1]
    response = c.post(
        f"/dossier/{CASE}/operation",
        data={
            "action": "override",
            "block": target,
            "application": "Texte\tcollé depuis Word",
            "version": _version(page),
        },
        headers=HX,
    )
    assert "changé sur le disque" in response.text
    assert "Texte\tcollé depuis Word" in response.text  # kept in its box


def test_downloads_with_accented_names(work: Path) -> None:
    (work / "exemple" / "l’œuvre.yaml").write_text(
        (work / CASE).read_text(encoding="utf-8"), encoding="utf-8"
    )
    c = client(work)
    home = c.get("/").text
    assert 'href="/dossier/exemple/l%E2%80%99%C5%93uvre.yaml"' in home
    response = c.get("/dossier/exemple/l%E2%80%99%C5%93uvre.yaml/docx")
    assert response.status_code == 200
    assert "filename*=UTF-8''l%E2%80%99%C5%93uvre.docx" in response.headers["content-disposition"]


def test_a_broken_case_file_is_named_not_an_internal_error(work: Path) -> None:
    c = client(work)
    case = work / CASE
    page = c.get(f"/dossier/{CASE}").text
    case.write_text(case.read_text(encoding="utf-8") + "set: deux fois\n", encoding="utf-8")
    response = c.post(
        f"/dossier/{CASE}/operation",
        data={"action": "remove", "block": "recevabilite-delai", "version": _version(page)},
        headers=HX,
    )
    assert "Erreur interne" not in response.text
    assert "duplicate" in response.text or "double" in response.text or "deux fois" in response.text


def _moyens(case: Path) -> list[str]:
    from requete import api

    return [b.id for b in api.load_case(case).blocks if b.block.section == "legalite-interne"]


def test_a_sequence_of_moves_gives_the_order_shown(emc2: Path) -> None:
    c = client(emc2)
    case = emc2 / "annulation.yaml"
    m1, m2, m3, m4 = _moyens(case)[:4]
    _post(c, "annulation.yaml", action="up", block=m3, target=m2)
    _post(c, "annulation.yaml", action="up", block=m4, target=m2)
    _post(c, "annulation.yaml", action="down", block=m3, target=m4)
    assert _moyens(case)[:4] == [m1, m4, m3, m2]


def test_a_block_others_are_placed_after_can_be_removed(emc2: Path) -> None:
    c = client(emc2)
    case = emc2 / "annulation.yaml"
    m1, m2, m3 = _moyens(case)[:3]
    _post(c, "annulation.yaml", action="down", block=m1, target=m2)  # m1 after m2
    assert _moyens(case)[:3] == [m2, m1, m3]
    text = _post(c, "annulation.yaml", action="remove", block=m2)
    assert "retiré" in text, text[:500]
    assert _moyens(case)[:2] == [m1, m3]


def test_a_new_matter_in_a_hidden_folder_is_refused(work: Path) -> None:
    from requete.newmatter import Invalid
    from requete.studio.newform import _parse_directory

    with pytest.raises(Invalid):
        _parse_directory(".cache", work)


def test_a_memoire_through_the_form_asks_for_its_instance(tmp_path: Path) -> None:
    """The pending instance (number, date, its procedure, sommaire) and counsel's address and
    e-mail, as `requete new` asks them; the set defaults to the most specific one."""
    c = client(tmp_path)
    form = {
        "procedure": "memoire-complementaire",
        "instance_number": "500001",
        "instance_date": "05/03/2025",
        "instance_procedure": "annulation",
        "instance_sommaire": "1",
        "act_nature": "arrêté",
        "act_title": "arrêté n° EXMP2025-01 du 3 mars 2025 du ministre de l'Exemple portant création",
        "act_date": "03/03/2025",
        "event_date": "04/03/2025",
        "applicant0_name": "Exemple Santé Libertés",
        "applicant0_kind": "association",
        "counsel": "Me Jeanne Martin",
        "counsel_kind": "barreau",
        "counsel_detail": "Lyon",
        "counsel_email": "pas un courriel",
        "filing_date": "30/03/2025",
        "fact_competence": "acte-reglementaire",
        "fact_frais_irrepetibles": "0",
        "directory": "memoire",
    }
    wrong = c.post("/nouveau", data=form, headers=ORIGIN)
    assert re.search(r'id="err-counsel_email">[^<]*adresse électronique', wrong.text)
    response = c.post(
        "/nouveau",
        data={**form, "counsel_email": "jm@example.org"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert response.headers["location"] == "/dossier/memoire/memoire-complementaire.yaml"
    matter = (tmp_path / "memoire" / "matter.yaml").read_text(encoding="utf-8")
    assert "numero: '500001'\n    procedure: annulation\n    enregistrement: 2025-03-05\n" in matter
    assert "qualite: avocat au barreau de Lyon" in matter and "email: jm@example.org" in matter


def test_review_of_a_filing_at_two_git_revisions(work: Path) -> None:
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("needs git")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=work,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "v1")
    case = work / CASE
    case.write_text(
        case.read_text(encoding="utf-8") + "remove: [recevabilite-delai]\n", encoding="utf-8"
    )
    c = client(work)
    assert 'id="review-git"' in c.get("/comparer").text
    response = c.post(
        "/comparer", data={"case": CASE, "old_rev": "HEAD", "new_rev": ""}, headers=ORIGIN
    )
    assert response.status_code == 200, response.text[-800:]
    assert "recevabilite-delai" in response.text
    assert f"{CASE} @ HEAD" in response.text and "copie de travail" in response.text


def test_the_bundle_page_shows_its_checks_before_anything_is_made(work: Path) -> None:
    """The same checks as `requete bundle` (no PDF made, nothing written): the example has
    « [à compléter] » left and pièces without a file."""
    from requete import api

    c = client(work)
    page = c.get(f"/dossier/{CASE}/depot").text
    assert "ne peut pas encore être constitué" in page
    assert "à compléter" in page
    expected = api.bundle_checks(work / CASE)
    assert sum(p.severity == "error" for p in expected) == page.count('class="problem error"')
    options = c.get(f"/dossier/{CASE}/depot?allow_missing=1&draft=1").text
    assert "Toutes les vérifications du dossier passent" in options
    assert 'name="allow_missing" value="1" checked' in options
    assert sorted(p.name for p in (work / "exemple").iterdir()) == sorted(
        p.name for p in (ROOT / "examples" / "new-matter").iterdir()
    )
