"""The studio end to end, in headless Chromium: from an empty folder to a new matter, a block
added and seen in the preview, a .docx downloaded and opened, then two drafts compared and
the redline downloaded — in the browser only, in French.

Screenshots of every screen go to $REQUETE_STUDIO_SHOTS when it is set (to look at them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, DRIVER, chromium, running_studio, wait_for_file

MISSING = CHROMIUM is None or DRIVER is None
if MISSING and os.environ.get("REQUETE_REQUIRE_BROWSER"):
    raise RuntimeError("REQUETE_REQUIRE_BROWSER is set but chromium or chromedriver is missing")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        MISSING, reason="needs Debian's chromium and chromium-driver (CI installs them)"
    ),
]

ADDED = "moyen-absence-mise-en-concurrence"


def _shot(driver: Any, name: str) -> None:
    folder = os.environ.get("REQUETE_STUDIO_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def _wait(driver: Any, condition: Any, timeout: float = 30) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # htmx swaps parts of the page: an element read while it is replaced is read again
    ignored = [StaleElementReferenceException]
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(condition)


def _type(driver: Any, name: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def _select(driver: Any, name: str, value: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    found = driver.find_elements(By.ID, name) or driver.find_elements(By.NAME, name)
    Select(found[0]).select_by_value(value)


def _error_at(driver: Any, name: str) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.ID, f"err-{name}").text)


def _blur(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.TAG_NAME, "h1").click()


def _docx_text(path: Path) -> str:
    import re

    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


def test_a_lawyer_goes_from_an_empty_folder_to_a_filing_and_a_redline(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    from requete import api

    work = tmp_path / "cabinet"
    work.mkdir()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with running_studio(work) as url, chromium(downloads) as driver:
        driver.get(url + "/")
        assert "Aucune affaire" in driver.page_source
        _shot(driver, "1-affaires-vide")
        driver.find_element(By.ID, "creer").click()
        _wait(driver, ec.presence_of_element_located((By.ID, "new-form")))

        # Each answer is checked as it is given, the error at its field, in French.
        _type(driver, "act_date", "32/13/2025")
        _blur(driver)
        _wait(driver, lambda d: _error_at(d, "act_date"))
        assert "n'est pas une date qui existe" in _error_at(driver, "act_date")
        _shot(driver, "2-nouvelle-affaire-erreur")
        _type(driver, "act_date", "03/03/2025")
        _blur(driver)
        _wait(driver, lambda d: _error_at(d, "act_date") == "")

        _type(driver, "act_nature", "arrêté")
        _type(driver, "act_number", "EXMP2025-01")
        _type(driver, "act_author", "le ministre de l'Exemple")
        _type(
            driver,
            "act_title",
            "arrêté n° EXMP2025-01 du 3 mars 2025 du ministre de l'Exemple portant création "
            "de la plateforme de données de santé « Exemple »",
        )
        _type(driver, "event_date", "14/03/2025")
        _type(driver, "applicant0_name", "Exemple Santé Libertés")
        _select(driver, "applicant0_kind", "association")
        _type(driver, "applicant0_objet", "la défense du secret médical")
        _type(driver, "counsel", "Me Jeanne Martin")
        _type(driver, "filing_date", "30/04/2025")
        _type(driver, "place", "Paris")
        _blur(driver)
        _wait(driver, ec.presence_of_element_located((By.NAME, "fact_competence")))
        _select(driver, "fact_competence", "acte-reglementaire")
        _type(driver, "fact_frais_irrepetibles", "0")
        _blur(driver)
        _wait(driver, lambda d: "exemple-sante-libertes" in d.find_element(By.ID, "dir-hint").text)
        _shot(driver, "3-nouvelle-affaire-remplie")
        driver.find_element(By.ID, "ecrire").click()

        # The filing: its arguments and the live preview.
        _wait(driver, ec.presence_of_element_located((By.ID, "blocks")))
        _wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "#apercu .filing")))
        case = work / "exemple-sante-libertes-arrete-exmp2025-01" / "annulation.yaml"
        assert case.is_file() and (case.parent / "matter.yaml").is_file()
        assert "Exemple Santé Libertés" in driver.find_element(By.ID, "apercu").text
        numbered = len(driver.find_elements(By.CSS_SELECTOR, "#apercu p.numbered"))
        assert numbered > 10
        assert not driver.find_elements(By.CSS_SELECTOR, f"#apercu-{ADDED}")
        _shot(driver, "4-ecriture")

        # Add a block: written as `add:` in the case file, and the preview follows.
        _select(driver, "add-block", ADDED)
        driver.find_element(By.ID, "add-button").click()
        _wait(driver, ec.presence_of_element_located((By.ID, f"bloc-{ADDED}")))
        _wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, f"#apercu-{ADDED}")))
        assert f"block: {ADDED}" in case.read_text(encoding="utf-8")
        assert len(driver.find_elements(By.CSS_SELECTOR, "#apercu p.numbered")) > numbered
        assert "ajouté" in driver.find_element(By.ID, "op-message").text
        _shot(driver, "5-bloc-ajoute")

        # Build and download the .docx, then open it.
        driver.find_element(By.ID, "download-docx").click()
        first = wait_for_file(downloads, ".docx")
        v2 = tmp_path / "v2.docx"
        first.rename(v2)
        manifest = api.read_manifest(v2)
        assert manifest is not None and ADDED in [b.id for b in manifest.blocks]
        assert "Exemple Santé Libertés" in _docx_text(v2)

        # Remove it again and download the earlier draft.
        driver.find_element(By.CSS_SELECTOR, f"#bloc-{ADDED} button.remove").click()
        _wait(driver, ec.invisibility_of_element_located((By.ID, f"bloc-{ADDED}")))
        _wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, f"#apercu-{ADDED}"))
        driver.find_element(By.ID, "download-docx").click()
        v1 = tmp_path / "v1.docx"
        wait_for_file(downloads, ".docx").rename(v1)

        # Review: upload both drafts, read the summary, download the redline.
        driver.find_element(By.ID, "nav-comparer").click()
        _wait(driver, ec.presence_of_element_located((By.ID, "review-form")))
        driver.find_element(By.ID, "old_file").send_keys(str(v1))
        driver.find_element(By.ID, "new_file").send_keys(str(v2))
        _shot(driver, "6-comparer")
        driver.find_element(By.ID, "compare-button").click()
        _wait(driver, ec.presence_of_element_located((By.ID, "review-counts")))
        assert ADDED in driver.find_element(By.ID, "argument-summary").text
        assert "ajouté" in driver.find_element(By.ID, "review-counts").text
        _shot(driver, "7-comparaison")
        driver.find_element(By.ID, "download-redline").click()
        redline = wait_for_file(downloads, ".docx")
        with zipfile.ZipFile(redline) as package:
            xml = package.read("word/document.xml").decode("utf-8")
        assert "<w:ins " in xml and "<w:del " not in xml.split("<w:body>")[0]

    # The real client: LibreOffice opens the draft and the redline (CI installs it).
    if shutil.which("soffice") and shutil.which("pdftotext"):
        from requete.export.pdf import converted

        copy = tmp_path / "redline.docx"
        shutil.copy(redline, copy)
        with converted([v2, copy]) as produced:
            for source, marker in ((v2, "Exemple Santé Libertés"), (copy, "mise en concurrence")):
                text = subprocess.run(
                    ["pdftotext", str(produced[source]), "-"], capture_output=True, text=True
                ).stdout
                assert marker in text, (source.name, text[:300])


def test_the_other_screens_open_in_the_browser(tmp_path: Path) -> None:
    """The matter, deadline and bundle screens of the example matter, as a lawyer sees them."""

    from selenium.webdriver.common.by import By

    root = Path(__file__).resolve().parents[2]
    work = tmp_path / "cabinet"
    shutil.copytree(root / "examples" / "new-matter", work / "exemple")
    with running_studio(work) as url, chromium(tmp_path) as driver:
        driver.get(url + "/")
        _shot(driver, "8-affaires")
        driver.get(url + "/dossier/exemple/annulation.yaml/affaire")
        assert driver.find_element(By.ID, "matter-form")
        assert "Acte attaqué" in driver.page_source
        _shot(driver, "9-affaire")
        driver.get(url + "/dossier/exemple/annulation.yaml/delai")
        steps = driver.find_element(By.ID, "deadline").text
        assert "R. 421-1" in steps
        _shot(driver, "10-delai")
        driver.get(url + "/dossier/exemple/annulation.yaml/depot")
        assert driver.find_element(By.ID, "bundle-button")
        _shot(driver, "11-depot")
