"""Hostile and careless input, as classes: whatever a contributor puts in a pull request is
refused cleanly, in French, at its file and line, by `scripts/validate.py` and by the build
alike (same report, line for line), without a traceback, without touching the record.

Each case is a small project (records, workshops, ledger) written in a temporary folder; the
expected problem is given whole (`fichier:ligne:colonne: champ: message`), so a vague or
English message fails the test.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
from pathlib import Path

import pytest
from test_one_judge import AGENDA, RECORD, TODAY, VALIDATE, build_report, validator_report, write
from test_validation import VALID_TEXT, line_of, replace

WORKSHOP = (AGENDA / "ateliers" / "arnaques-en-ligne.yml").read_text(encoding="utf-8")
WEEKLY = (AGENDA / "ateliers" / "smartphone-du-mardi.yml").read_text(encoding="utf-8")
AGENDA_PLACES = {
    f"places/{p.relative_to(AGENDA / 'places')}": p.read_text(encoding="utf-8")
    for p in (AGENDA / "places").rglob("*.yml")
}
AGENDA_DAY = "2026-02-02"


def at(text: str, needle: str) -> tuple[int, int]:
    """(line, column) of the first character of `needle` in `text`."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def place(old: str, new: str) -> dict[str, str]:
    return {RECORD: replace(old, new)}


def problem(file: str, text: str | None, needle: str | None, field: str, message: str) -> str:
    line, column = at(text, needle) if text is not None and needle is not None else (1, 1)
    what = f"{field}: {message}" if field else message
    return f"{file}:{line}:{column}: {what}"


ALIASES = "id: a\nnom: &n bonjour\nadresse: *n\n"
DEEP = replace("nom: Espace numérique d’exemple", "nom: [[[[[[[bonjour]]]]]]]")
MANY = VALID_TEXT + "publics_specifiquement_adresses:\n" + "  - Seniors\n" * 2100
BIG = VALID_TEXT + "presentation_detail: " + "texte " * 12000 + "\n"
NAME_300 = replace("nom: Espace numérique d’exemple", "nom: " + "Espace " * 42 + "X")


def _cases() -> list[tuple[str, dict[str, str], str, str]]:
    """(id, files, build date, one expected line of the report, without its hint)."""
    r, v = RECORD, VALID_TEXT
    cases: list[tuple[str, dict[str, str], str, str]] = []

    def add(name: str, files: dict[str, str], expected: str, today: str = TODAY) -> None:
        cases.append((name, files, today, expected))

    def edit(name: str, old: str, new: str, needle: str, field: str, message: str) -> None:
        text = replace(old, new)
        add(name, {r: text}, problem(r, text, needle, field, message))

    # 1. Bounded loading: aliases, nesting, number of values, file size, field length.
    add("renvoi YAML (bombe)", {r: ALIASES}, problem(r, ALIASES, "*n", "", "renvoi YAML (« *… ») refusé"))
    add("imbrication profonde", {r: DEEP}, problem(r, DEEP, "[[bonjour", "", "valeur trop imbriquée (plus de 6 niveaux)"))
    # The valid record holds 60 values (keys count): the 2001st is the list's 1939th item.
    add("trop de valeurs", {r: MANY}, f"{r}:{line_of(MANY, '  - Seniors') + 1938}:5: trop de valeurs (plus de 2000)")
    add("fichier trop gros", {r: BIG}, f"{r}:1:1: fichier trop gros (71 Ko, 64 Ko au plus)")
    add("nom trop long", {r: NAME_300}, problem(r, NAME_300, "Espace Espace", "nom",
                                                "texte trop long (295 caractères, 200 au plus)"))
    edit("horaires trop longs", "horaires: Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
         "horaires: " + "; ".join(["Mo-Fr 09:00-12:00"] * 30), "Mo-Fr 09:00-12:00; Mo", "horaires",
         "horaires trop longs (568 caractères, 500 au plus)")
    edit("adresse web trop longue", "  - https://www.exemple.fr/espace-numerique",
         "  - https://www.exemple.fr/" + "a" * 600, "https://www.exemple.fr/aaa", "site_web[0]",
         "texte trop long (623 caractères, 500 au plus)")

    # 2. Text that is text: line breaks, direction and invisible characters.
    edit("retour à la ligne dans le nom", "nom: Espace numérique d’exemple", 'nom: "Espace\\n::error::numérique"',
         '"Espace', "nom", "retour à la ligne (U+000A) au caractère 7 : ce champ tient sur une ligne")
    edit("forçage droite-à-gauche", "nom: Espace numérique d’exemple", 'nom: "Espace \\u202enumérique"',
         '"Espace', "nom", "forçage droite-à-gauche (retourne le texte) (U+202E) au caractère 8")
    edit("espace sans largeur dans l’identifiant", "id: test-espace-numerique-exemple",
         'id: "test-espace\\u200b-numerique"', '"test', "id", "espace sans largeur (U+200B) au caractère 12")
    edit("tabulation", "adresse: 1 rue de l’Exemple", 'adresse: "1 rue\\tde l’Exemple"', '"1 rue', "adresse",
         "tabulation (U+0009) au caractère 6")
    edit("trait d’union conditionnel", "nom: Espace numérique d’exemple", 'nom: "Espace numé\\u00adrique"',
         '"Espace', "nom", "trait d’union conditionnel (invisible) (U+00AD) au caractère 12")
    edit("caractère de contrôle", "source: Fiche de test inventée", 'source: "Fiche\\a de test"', '"Fiche',
         "source", "caractère de contrôle (U+0007) au caractère 6")
    edit("isolat", "complement_adresse: Rez-de-chaussée", 'complement_adresse: "Rez\\u2066-de-chaussée"', '"Rez',
         "complement_adresse", "isolat gauche-à-droite (U+2066) au caractère 4")
    add("marque d’ordre des octets", {r: "\ufeff" + v}, f"{r}:1:1: le fichier commence par une marque d’ordre des octets (BOM)")

    # 3. Links that are what they say.
    edit("identifiants avant le nom du site", "  - https://www.exemple.fr/espace-numerique",
         "  - https://www.caf.fr@ailleurs.example/", "https://www.caf.fr@", "site_web[0]",
         "adresse trompeuse : « https://www.caf.fr@ailleurs.example/ » mène en réalité à « ailleurs.example »")
    edit("mot de passe dans l’adresse", "prise_rdv: https://rdv.exemple.fr/espace-numerique",
         "prise_rdv: https://moi:secret@rdv.exemple.fr/", "https://moi", "prise_rdv",
         "adresse trompeuse : « https://moi:secret@rdv.exemple.fr/ » mène en réalité à « rdv.exemple.fr »")
    edit("adresse IP", "  - https://www.exemple.fr/espace-numerique", "  - https://192.168.1.10/accueil",
         "https://192", "site_web[0]", "« 192.168.1.10 » n’est pas un nom de site web")
    edit("adresse sans domaine", "  - https://www.exemple.fr/espace-numerique", "  - https://localhost/",
         "https://localhost", "site_web[0]", "« https://localhost/ » n’est pas une adresse web complète")
    edit("adresse javascript", "prise_rdv: https://rdv.exemple.fr/espace-numerique", "prise_rdv: javascript:alert(1)",
         "javascript", "prise_rdv",
         "adresse « javascript: » refusée : seules les adresses web `https://` sont acceptées")
    edit("adresse http", "prise_rdv: https://rdv.exemple.fr/espace-numerique", "prise_rdv: http://rdv.exemple.fr/",
         "http://", "prise_rdv", "adresse web non sécurisée (`http://`)")
    edit("copie cachée dans un e-mail", "  - contact@exemple.fr", "  - contact@exemple.fr?bcc=tous@ailleurs.example",
         "contact@exemple.fr?", "courriels[0]",
         "adresse e-mail suivie d’autre chose (« ? », « & », « , » ou « ; ») : « contact@exemple.fr?bcc=tous@ailleurs.example »")
    edit("deux e-mails en un", "  - contact@exemple.fr", "  - contact@exemple.fr, autre@exemple.fr",
         "contact@exemple.fr,", "courriels[0]",
         "adresse e-mail suivie d’autre chose (« ? », « & », « , » ou « ; ») : « contact@exemple.fr, autre@exemple.fr »")
    edit("e-mail sans domaine", "  - contact@exemple.fr", "  - contact@exemple", "contact@exemple", "courriels[0]",
         "adresse e-mail invalide : « contact@exemple »")
    edit("téléphone tronqué", "telephone: '05 49 00 00 01'", "telephone: '05 49'", "'05 49'", "telephone",
         "numéro de téléphone invalide")

    # 4. Dates within sense.
    edit("date impossible dans les horaires", "horaires: Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
         "horaires: Feb 30 09:00-12:00; Mo-Fr 09:00-12:00", "Feb 30", "horaires",
         "date impossible dans les horaires : « Feb 30 »")
    edit("année 9999", "date_maj: '2024-08-01'", "date_maj: '9999-08-01'", "'9999", "date_maj",
         "l’année 9999 est impossible ici")
    edit("année 1850", "date_maj: '2024-08-01'", "date_maj: '1850-08-01'", "'1850", "date_maj",
         "l’année 1850 est impossible ici")
    edit("fermeture un 30 février", "source: Fiche de test inventée",
         "source: Fiche de test inventée\nstatut: fermé\ndate_fermeture: '2024-02-30'", "'2024-02-30'",
         "date_fermeture", "la date 2024-02-30 n’existe pas")
    # 5. Values a spreadsheet would run, in the open data CSV.
    edit("formule =", "nom: Espace numérique d’exemple", "nom: '=HYPERLINK(\"https://ailleurs.example\")'", "'=",
         "nom", "une valeur ne peut pas commencer par « = »")
    edit("formule +", "adresse: 1 rue de l’Exemple", "adresse: '+33 rue de l’Exemple'", "'+33", "adresse",
         "une valeur ne peut pas commencer par « + »")
    edit("formule @", "source: Fiche de test inventée", "source: '@SOMME(1;2)'", "'@", "source",
         "une valeur ne peut pas commencer par « @ »")
    edit("formule -", "complement_adresse: Rez-de-chaussée", "complement_adresse: '-2+3'", "'-2", "complement_adresse",
         "une valeur ne peut pas commencer par « - »")

    # 6. File accidents.
    add("fichier index", {"places/poitiers/index.yml": v},
        "places/poitiers/index.yml:1:1: nom de fichier réservé : « index.yml » serait la page de la commune, "
        "pas celle du lieu")
    add("extension en majuscules", {"places/poitiers/lieu.YML": v},
        "places/poitiers/lieu.YML:1:1: « lieu.YML » n’est pas lu : une fiche se termine par « .yml »")
    add("double extension", {"places/poitiers/lieu.yml.txt": v},
        "places/poitiers/lieu.yml.txt:1:1: « lieu.yml.txt » n’est pas lu : une fiche se termine par « .yml »")
    add("extension yaml", {"places/poitiers/lieu.yaml": v},
        "places/poitiers/lieu.yaml:1:1: « lieu.yaml » n’est pas lu : une fiche se termine par « .yml »")
    add("fichier étranger", {r: v, "places/poitiers/notes.txt": "à faire"},
        "places/poitiers/notes.txt:1:1: « notes.txt » n’est pas une fiche")
    add("fichier vide", {r: v, "places/poitiers/vide.yml": ""}, "places/poitiers/vide.yml:1:1: fichier vide")
    add("fichier caché", {r: v, "places/poitiers/.lieu.yml": v},
        "places/poitiers/.lieu.yml:1:1: « .lieu.yml » n’est pas lu : une fiche se termine par « .yml »")
    add("adresse publiée sans page", {r: v, "data/urls-publiees.txt": "lieux/poitiers/espace-numerique-exemple/\n"
                                     "lieux/poitiers/lieu-supprime/\n"},
        "data/urls-publiees.txt:2:1: l’adresse `lieux/poitiers/lieu-supprime/` a été publiée (un flyer imprimé "
        "y mène peut-être), mais plus aucune page ne la sert")
    add("ligne illisible du registre", {r: v, "data/urls-publiees.txt": "https://ailleurs.example/x\n"},
        "data/urls-publiees.txt:1:1: « https://ailleurs.example/x » n’est pas un chemin du site "
        "(exemple : lieux/poitiers/mon-lieu/)")

    # 8. Every message in French: YAML syntax, keys, types, fields.
    tab = replace("nom: Espace numérique d’exemple", "nom:\tEspace numérique d’exemple")
    add("tabulation d’indentation", {r: v.replace("  - EPN", "\t- EPN")},
        problem(r, v.replace("  - EPN", "\t- EPN"), "\t- EPN", "", "tabulation interdite"))
    del tab
    unclosed = replace("nom: Espace numérique d’exemple", "nom: 'Espace numérique d’exemple")
    add("guillemet non refermé", {r: unclosed}, problem(r, unclosed, "'Espace", "", "guillemet non refermé"))
    shifted = replace("code_postal: '86000'", "  code_postal: '86000'")
    add("décalage", {r: shifted}, problem(r, shifted, "code_postal: '86000'", "", "décalage (indentation) incohérent"))
    documents = v + "---\nid: autre\n"
    add("deux documents", {r: documents}, problem(r, documents, "---", "", "le fichier contient plusieurs documents (« --- »)"))
    arobase = replace("source: Fiche de test inventée", "source: @exemple")
    add("arobase en tête", {r: arobase}, problem(r, arobase, "@exemple\n", "", "« @ » en début de valeur"))
    twice = v + "nom: Un autre nom\n"
    add("champ écrit deux fois", {r: twice}, problem(r, twice, "nom: Un autre nom", "nom",
                                                     "le champ `nom` est écrit deux fois : seule la dernière valeur compterait"))
    edit("champ inconnu", "horaires:", "horraires:", "horraires:", "horraires", "champ inconnu `horraires`")
    edit("liste écrite sur une ligne", "frais_a_charge:\n  - Gratuit", "frais_a_charge: Gratuit", "Gratuit",
         "frais_a_charge", "une liste est attendue")
    edit("liste au lieu d’un texte", "nom: Espace numérique d’exemple", "nom:\n  - Espace\n  - Numérique",
         "- Espace", "nom", "une seule valeur est attendue, pas une liste")
    edit("objet dans une liste", "  - Aide aux démarches administratives", "  - {service: aide}", "{service",
         "services[0]", "une valeur simple est attendue")
    edit("valeur inconnue", "  - Gratuit", "  - Gratis", "Gratis", "frais_a_charge[0]", "valeur inconnue « Gratis »")
    edit("champ obligatoire vide", "nom: Espace numérique d’exemple", "nom:", "nom:", "nom", "champ obligatoire vide")

    # Workshops, with the same rules, reported together with the places' problems.
    def workshop(name: str, text: str, needle: str | None, field: str, message: str, file: str = "atelier.yml") -> None:
        add(name, {**AGENDA_PLACES, f"ateliers/{file}": text},
            problem(f"ateliers/{file}", text if needle else None, needle, field, message), AGENDA_DAY)

    title = WORKSHOP.replace("titre: Reconnaître les arnaques en ligne", 'titre: "Reconnaître\\nles arnaques"')
    workshop("atelier : titre sur deux lignes", title, '"Reconnaître', "titre",
             "retour à la ligne (U+000A) au caractère 12 : ce champ tient sur une ligne")
    too_long = WEEKLY.replace("au: '2026-06-30'", "au: '2029-06-30'")
    workshop("atelier : série trop longue", too_long, "'2029-06-30'", "recurrence.au",
             "un atelier régulier s’annonce pour deux ans au plus")
    year = WEEKLY.replace("au: '2026-06-30'", "au: '9000-06-30'")
    workshop("atelier : année 9000", year, "'9000-06-30'", "recurrence.au", "l’année 9000 est impossible ici")
    price = WORKSHOP.replace("frais: Gratuit", "frais: Payant\ntarif: '=1+1'")
    workshop("atelier : formule dans le tarif", price, "'=1+1'", "tarif", "une valeur ne peut pas commencer par « = »")
    unknown = WORKSHOP + "salle: B12\n"
    workshop("atelier : champ inconnu", unknown, "salle:", "salle", "champ inconnu `salle`")
    alias = WORKSHOP + "accessibilite: &x oui\ntarif: *x\n"
    workshop("atelier : renvoi YAML", alias, "*x", "", "renvoi YAML (« *… ») refusé")
    workshop("atelier : extension", WORKSHOP, None, "", "« atelier.yaml » n’est pas lu : une fiche se termine par « .yml »",
             file="atelier.yaml")
    mail = WORKSHOP.replace("  sans_inscription: oui", "  courriel: ateliers@exemple.fr?cc=moi@ailleurs.example")
    workshop("atelier : e-mail avec copie", mail, "ateliers@", "inscription.courriel",
             "adresse e-mail suivie d’autre chose (« ? », « & », « , » ou « ; ») : "
             "« ateliers@exemple.fr?cc=moi@ailleurs.example »")
    link = WORKSHOP.replace("  sans_inscription: oui", "  lien: https://inscription.exemple.fr@ailleurs.example/")
    workshop("atelier : lien trompeur", link, "https://inscription", "inscription.lien",
             "adresse trompeuse : « https://inscription.exemple.fr@ailleurs.example/ » mène en réalité à "
             "« ailleurs.example »")
    both = {**AGENDA_PLACES, "places/poitiers/espace-numerique-des-essais.yml":
            AGENDA_PLACES["places/poitiers/espace-numerique-des-essais.yml"].replace("horaires:", "horraires:"),
            "ateliers/atelier.yml": WORKSHOP.replace("niveau: intermédiaire", "niveau: expert")}
    add("lieu et atelier faux ensemble", both, problem("ateliers/atelier.yml", both["ateliers/atelier.yml"],
                                                         "expert", "niveau", "valeur inconnue « expert »"), AGENDA_DAY)
    return cases


CASES = _cases()


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file() and "site" not in p.relative_to(folder).parts
        and p.name != "mkdocs.yml"
    }


def test_the_table_has_at_least_sixty_inputs_in_every_class() -> None:
    assert len(CASES) >= 60
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("files", "today", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_hostile_input_is_refused_in_french_at_its_line_by_both_judges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], today: str, expected: str
) -> None:
    write(tmp_path, files)
    before = digest(tmp_path)
    code, printed = validator_report(tmp_path, monkeypatch, today)
    assert code == 1, printed
    lines = [line.split(" — ", 1)[0] for line in printed.splitlines()]
    assert expected in lines, printed
    assert "Traceback" not in printed and "Error" not in printed
    assert build_report(tmp_path, monkeypatch, today) == printed
    assert digest(tmp_path) == before  # no record, workshop or ledger altered


def test_a_value_never_starts_a_ci_command_in_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate.py --github` prints one annotation per problem; a value holding a line break and
    `::error::` or `::stop-commands::` stays inside its line, escaped."""
    text = replace("nom: Espace numérique d’exemple", 'nom: "x\\n::stop-commands::fin\\r\\n::error::faux"')
    write(tmp_path, {RECORD: text})
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = VALIDATE.main(["places", "--github", "--today", TODAY])
    printed = out.getvalue()
    assert "::error file=places/poitiers/espace-numerique-exemple.yml" in printed
    for line in printed.splitlines():
        assert not line.startswith("::stop-commands") and "::error::faux" not in line.split("::", 2)[-1][:20]
        if line.startswith("::"):
            assert line.startswith(("::error file=", "::warning file="))
    assert code == 1


def test_a_link_leaving_the_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "ailleurs.yml"
    outside.write_text(VALID_TEXT, encoding="utf-8")
    write(tmp_path, {RECORD: VALID_TEXT})
    (tmp_path / "places" / "poitiers" / "lien.yml").symlink_to(outside)
    code, printed = validator_report(tmp_path, monkeypatch, TODAY)
    assert code == 1
    assert "places/poitiers/lien.yml:1:1: lien vers un fichier hors du dossier des fiches" in printed
    assert build_report(tmp_path, monkeypatch, TODAY) == printed


def test_a_published_address_can_never_leave_the_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deleting a place together with its ledger line: the pull request check compares the
    ledger with the branch it goes to (ANNUAIRE_REGISTRE_DEPUIS), and refuses."""
    write(tmp_path, {RECORD: VALID_TEXT, "places/poitiers/autre.yml": replace("id: test-espace-numerique-exemple",
                                                                            "id: test-autre"),
                     "data/urls-publiees.txt": "lieux/poitiers/autre/\nlieux/poitiers/espace-numerique-exemple/\n"})
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e.fr",
                   "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e.fr"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "registre"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True, env=environment)
    (tmp_path / "places" / "poitiers" / "autre.yml").unlink()
    (tmp_path / "data" / "urls-publiees.txt").write_text("lieux/poitiers/espace-numerique-exemple/\n", encoding="utf-8")
    monkeypatch.setenv("ANNUAIRE_REGISTRE_DEPUIS", "main")
    code, printed = validator_report(tmp_path, monkeypatch, TODAY)
    assert code == 1
    assert ("data/urls-publiees.txt:1:1: l’adresse `lieux/poitiers/autre/` a été retirée du registre "
            "(elle y était dans main)") in printed
    monkeypatch.setenv("ANNUAIRE_REGISTRE_DEPUIS", "main")
    assert build_report(tmp_path, monkeypatch, TODAY) == printed
