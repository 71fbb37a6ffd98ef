"""The files that let non-developers contribute: GitHub workflows, issue forms, editor and
pre-commit settings, and CONTRIBUTING.md.

GitHub silently ignores a malformed issue form and refuses a malformed workflow only once it
is pushed, so we validate them here against the schemas that check-jsonschema bundles
(offline). We also check what a contributor relies on: the error form accepts what the place
page pre-fills, the forms offer every service in the site's words, and the guide documents
every field of a record.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from annuaire.data import hours, vocabulary
from annuaire.importers.record_writer import dump_record
from annuaire.settings import cache_dir

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
FORMS_DIR = GITHUB / "ISSUE_TEMPLATE"
FORMS = sorted(p for p in FORMS_DIR.glob("*.yml") if p.name != "config.yml")
CONTRIBUTING = ROOT / "CONTRIBUTING.md"


def load(path: Path) -> Any:
    """YAML with every scalar as text: `on:` must stay the key `on`, not the boolean True."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def check_jsonschema(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def form_element(form: dict[str, Any], element_id: str) -> dict[str, Any]:
    matches = [e for e in form["body"] if e.get("id") == element_id]
    assert len(matches) == 1, f"{element_id!r} absent ou en double"
    return matches[0]


def options(element: dict[str, Any]) -> list[str]:
    """Option texts of a checkboxes or dropdown element."""
    raw = element["attributes"]["options"]
    return [o["label"] if isinstance(o, dict) else o for o in raw]


def uses_of(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]


def runs_of(job: dict[str, Any]) -> list[str]:
    return [step.get("run", "") for step in job.get("steps", [])]


# --- Validity against GitHub's schemas ------------------------------------------------------

def test_the_three_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"verifier.yml", "publier.yml", "dependances-recentes.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid_for_github(path: Path) -> None:
    result = check_jsonschema("vendor.github-workflows", [path])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_issue_form_is_valid_for_github(path: Path) -> None:
    result = check_jsonschema("vendor.github-issue-forms", [path])
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_chooser_config_is_valid_and_blank_issues_are_off() -> None:
    path = FORMS_DIR / "config.yml"
    result = check_jsonschema("vendor.github-issue-config", [path])
    assert result.returncode == 0, result.stdout + result.stderr
    config = load(path)
    assert config["blank_issues_enabled"] == "false"
    assert all(link["url"].startswith("https://") for link in config["contact_links"])


def test_chooser_links_to_the_published_site() -> None:
    """The "search the directory" link of the form chooser goes where `publier.yml` publishes."""

    class _AnyTag(yaml.SafeLoader):
        pass

    _AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)
    mkdocs = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
    config = load(FORMS_DIR / "config.yml")
    assert [link["url"] for link in config["contact_links"]][0] == mkdocs["site_url"]


def test_schema_check_does_reject_a_broken_form(tmp_path: Path) -> None:
    """Guards the guard: a form without `body` must fail, else the tests above prove nothing."""
    broken = tmp_path / "casse.yml"
    broken.write_text("name: Cassé\ndescription: sans corps\n", encoding="utf-8")
    assert check_jsonschema("vendor.github-issue-forms", [broken]).returncode != 0


# --- Security and behaviour of the workflows ------------------------------------------------

@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_never_runs_untrusted_code_with_secrets(path: Path) -> None:
    workflow = load(path)
    assert "pull_request_target" not in path.read_text(encoding="utf-8")
    assert "pull_request_target" not in workflow["on"]
    assert workflow["permissions"] == {}  # nothing by default: each job says what it needs
    for name, job in workflow["jobs"].items():
        assert job.get("permissions"), f"{path.name}: la tâche {name} doit dire ses droits"
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false", f"{path.name}: {name}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_their_version_in_a_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for use in uses_of(load(path)):
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", use), use
        assert re.search(re.escape(use) + r"\s+# v\d+\.\d+\.\d+", text), f"{use} : version en commentaire"


def test_only_the_deploy_job_may_write_to_pages() -> None:
    writers = []
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            permissions = job.get("permissions", {})
            if permissions.get("pages") == "write" or permissions.get("id-token") == "write":
                writers.append((path.name, name))
    assert writers == [("publier.yml", "deployer")]
    deploy = load(GITHUB / "workflows" / "publier.yml")["jobs"]["deployer"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_publication_runs_on_main_every_night_and_never_overlaps() -> None:
    workflow = load(GITHUB / "workflows" / "publier.yml")
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert (day, month, weekday) == ("*", "*", "*"), "la reconstruction doit être quotidienne"
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": "false"}
    build, deploy = workflow["jobs"]["construire"], workflow["jobs"]["deployer"]
    assert deploy["needs"] == "construire"
    assert any("./scripts/site build" in run for run in runs_of(build))
    build_uses = [step.get("uses", "") for step in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in build_uses)
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_pull_request_check_validates_builds_tests_and_attaches_the_site() -> None:
    workflow = load(GITHUB / "workflows" / "verifier.yml")
    assert set(workflow["on"]) == {"pull_request", "workflow_dispatch"}
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    validate = next(s for s in steps if "scripts/validate.py --github" in s.get("run", ""))
    runs = runs_of(job)
    assert any("./scripts/site build" in r for r in runs)
    assert any("./scripts/test" in r for r in runs)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "site-a-relire"
    assert upload["with"]["path"].rstrip("/") == "site"
    # The validation does not stop the build (the reviewer still gets the site), but the
    # job fails at the end when records had errors.
    assert validate.get("continue-on-error") == "true"
    last = steps[-1]
    assert validate["id"] in last["if"] and "exit 1" in last["run"]
    for step in steps:
        setup = step.get("with", {})
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert setup["cache"] == "pip" and setup["cache-dependency-path"] == "constraints.txt"


@pytest.mark.parametrize(("name", "job", "action"), [
    ("publier.yml", "construire", "actions/cache"), ("verifier.yml", "verifier", "actions/cache/restore"),
])
def test_a_build_starts_from_the_last_publications_work_made_by_the_same_code(name: str, job: str, action: str) -> None:
    """A coordinator's correction is published in seconds, not after a build from nothing: the
    build folder the site uses is restored before the build. Only what the same code made is
    restored (a flyer drawn by older code is never published); a pull request never writes it."""
    steps = load(GITHUB / "workflows" / name)["jobs"][job]["steps"]
    restore = next(i for i, s in enumerate(steps) if s.get("uses", "").split("@")[0] == action)
    build = next(i for i, s in enumerate(steps) if "./scripts/site build" in s.get("run", ""))
    assert restore < build
    used = steps[restore]["with"]
    # where `./scripts/site build` keeps its work, and the site it wrote (written over in place)
    assert used["path"].split() == [cache_dir({}, ROOT).relative_to(ROOT).as_posix(), "site"]
    code = re.search(r"hashFiles\(([^)]*)\)", used["key"])
    assert code is not None
    for folder in ("annuaire/**", "hooks/**", "overrides/**", "mkdocs.yml", "constraints.txt", "package-lock.json"):
        assert f"'{folder}'" in code.group(1), folder
    # Python's compiled files, written by the steps before (they carry the checkout's time),
    # would give every run another key: nothing would ever be restored.
    assert "'!**/__pycache__/**'" in code.group(1)
    assert used["key"].endswith("-${{ github.run_id }}")  # each publication saves its own
    assert used["restore-keys"] == used["key"].removesuffix("${{ github.run_id }}")
    if name == "verifier.yml":
        assert not any(s.get("uses", "").split("@")[0] == "actions/cache" for s in steps)


def test_weekly_run_uses_newest_allowed_dependencies() -> None:
    workflow = load(GITHUB / "workflows" / "dependances-recentes.yml")
    (cron,) = [entry["cron"] for entry in workflow["on"]["schedule"]]
    assert cron.split()[4] != "*", "une fois par semaine"
    assert workflow["env"]["ANNUAIRE_NO_CONSTRAINTS"] == "1"
    (job,) = workflow["jobs"].values()
    assert any("./scripts/test" in r for r in runs_of(job))


def test_workflow_scripts_exist() -> None:
    """Every `./scripts/x` a workflow calls is in the repository and executable."""
    called = set()
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for run in runs_of(job):
                called |= set(re.findall(r"\./(scripts/[\w.-]+)", run))
    assert called >= {"scripts/bootstrap", "scripts/site", "scripts/test"}
    for script in called:
        assert (ROOT / script).is_file(), script
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} n'est pas exécutable"


# --- Issue forms ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_form_has_labels_and_unique_ids(path: Path) -> None:
    form = load(path)
    assert form["labels"], "sans étiquette, la demande se perd dans la liste"
    ids = [e["id"] for e in form["body"] if "id" in e]
    assert len(ids) == len(set(ids))


def test_error_form_accepts_what_the_place_page_prefills() -> None:
    """The place page links to `?template=signaler-une-erreur.yml&title=…&lieu=…&url=…`:
    GitHub fills an input only if its `id` is the query key."""
    form = load(FORMS_DIR / "signaler-une-erreur.yml")
    for key in ("lieu", "url"):
        assert form_element(form, key)["type"] == "input"
    assert form_element(form, "lieu")["validations"]["required"] == "true"


def test_error_link_built_by_the_site_matches_the_form(tmp_path: Path) -> None:
    from annuaire.data.territory import Commune
    from annuaire.model.places import Place
    from annuaire.settings import Settings
    from annuaire.site import pages

    poitiers = Commune("86194", "Poitiers", ("86000",), 0, "")
    place = Place(
        file="places/poitiers/essai.yml", slug="essai", commune_ref=poitiers, epci_ref=None,
        id="essai", nom="Médiathèque d’essai", adresse="1 rue d’essai", code_postal="86000",
        commune="Poitiers", date_maj=date(2026, 1, 1),
    )
    settings = Settings(
        places_dir=tmp_path, territory_file=tmp_path / "t.json", root=tmp_path,
        public_url="https://exemple.test/annuaire/", repo_url="https://github.com/o/r",
        branch="main", today=date(2026, 1, 1),
    )
    query = parse_qs(urlsplit(pages.report_url(place, settings)).query)
    (template,) = query.pop("template")
    assert (FORMS_DIR / template).is_file()
    query.pop("title", None)
    form = load(FORMS_DIR / template)
    for key in query:
        form_element(form, key)
    assert query["lieu"] == ["Médiathèque d’essai"]
    assert query["url"] == ["https://exemple.test/annuaire/lieux/poitiers/essai/"]


def test_place_form_offers_every_service_in_the_sites_words() -> None:
    form = load(FORMS_DIR / "proposer-un-lieu.yml")
    assert options(form_element(form, "services")) == [s.plain for s in vocabulary.SERVICES]
    assert options(form_element(form, "publics")) == list(vocabulary.PUBLICS)
    assert options(form_element(form, "prise_en_charge")) == list(vocabulary.PRISE_EN_CHARGE)
    assert options(form_element(form, "frais")) == list(vocabulary.FRAIS)
    assert options(form_element(form, "equipements")) == list(vocabulary.EQUIPEMENTS)
    assert set(options(form_element(form, "modalites_acces"))) == set(vocabulary.MODALITES_ACCES_PLAIN.values())
    assert set(options(form_element(form, "modalites_accompagnement"))) == set(
        vocabulary.MODALITES_ACCOMPAGNEMENT_PLAIN.values()
    )


def test_place_form_asks_for_what_a_record_requires() -> None:
    form = load(FORMS_DIR / "proposer-un-lieu.yml")
    for key in ("nom", "adresse", "code_postal", "commune", "source", "date"):
        assert form_element(form, key)["validations"]["required"] == "true", key
    for key in ("telephone", "courriel", "site_web", "horaires", "accessible_fauteuil_roulant"):
        form_element(form, key)


def test_workshop_form_asks_for_what_a_workshop_record_needs() -> None:
    form = load(FORMS_DIR / "annoncer-un-atelier.yml")
    schema = json.loads((ROOT / "schemas" / "atelier.schema.json").read_text(encoding="utf-8"))
    for key in ("titre", "description", "lieu", "niveau", "frais", "inscription"):
        assert key in schema["required"] and form_element(form, key)["validations"]["required"] == "true", key
    for key in ("dates", "recurrence", "theme", "public", "tarif", "places", "accessibilite"):
        form_element(form, key)
    assert options(form_element(form, "theme")) == [s.plain for s in vocabulary.SERVICES]
    assert schema["properties"]["theme"]["items"]["enum"] == [s.label for s in vocabulary.SERVICES]
    assert options(form_element(form, "public")) == schema["properties"]["public"]["items"]["enum"]
    assert options(form_element(form, "frais")) == schema["properties"]["frais"]["enum"]
    levels = schema["properties"]["niveau"]["enum"]
    assert [o.split(" (")[0].lower() for o in options(form_element(form, "niveau"))] == levels


# --- Pull request template, editors, pre-commit, yamllint -------------------------------------

def test_pull_request_checklist_covers_source_date_ci_preview_and_privacy() -> None:
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, flags=re.M)
    joined = " ".join(boxes).lower()
    for needle in ("source", "date_maj", "vérification automatique", "site-a-relire", "donnée personnelle"):
        assert needle in joined, needle


def test_vscode_checks_records_against_the_local_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    (schema_path,) = [k for k, globs in schemas.items() if "places/**/*.yml" in globs]
    assert (ROOT / schema_path).resolve() == (ROOT / "schemas" / "lieu.schema.json").resolve()
    assert (ROOT / schema_path).is_file()
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_pre_commit_runs_the_validator_and_a_pinned_yamllint() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: (repo, hook) for repo in config["repos"] for hook in repo["hooks"]}
    repo, validator = hooks["valider-fiches"]
    assert repo["repo"] == "local"
    assert "scripts/validate.py" in validator["entry"]
    assert re.search(validator["files"], "places/poitiers/essai.yml")
    assert validator["pass_filenames"] == "false"
    repo, _ = hooks["yamllint"]
    assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), "rev épinglé sur une version"
    repo, forms = hooks["formulaires-github"]
    assert re.search(forms["files"], ".github/ISSUE_TEMPLATE/proposer-un-lieu.yml")
    assert not re.search(forms["files"], ".github/ISSUE_TEMPLATE/config.yml")


def yamllint_problems(text: str) -> list[str]:
    config = YamlLintConfig(file=str(ROOT / ".yamllint.yml"))
    return [f"{p.line}:{p.column} {p.rule} {p.desc}" for p in linter.run(text, config)]


def test_yamllint_accepts_records_as_the_writer_and_the_guide_write_them() -> None:
    record = {
        "id": "mediatheque-essai", "nom": "Médiathèque d’essai", "adresse": "1 place de la Mairie",
        "code_postal": "86000", "commune": "Poitiers", "code_insee": "86194",
        "telephone": "+33549000000", "services": [s.label for s in vocabulary.SERVICES[:2]],
        "horaires": "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
        "presentation_detail": "Première ligne.\nDeuxième ligne, assez longue pour dépasser quatre-vingts caractères sans souci.\n",
        "accessible_fauteuil_roulant": "oui", "date_maj": "2026-01-01",
    }
    assert yamllint_problems(dump_record(record)) == []
    blocks = yaml_blocks()
    assert len(blocks) >= 3
    for block in blocks:
        assert yamllint_problems(block) == [], block


def test_yamllint_flags_what_would_silently_lose_data() -> None:
    """A duplicated field keeps only one value: the contributor must be told."""
    problems = yamllint_problems("nom: A\nnom: B\n")
    assert any("key-duplicates" in p for p in problems)


def test_yamllint_accepts_every_github_file_and_record() -> None:
    files = [*GITHUB.rglob("*.yml"), ROOT / ".pre-commit-config.yaml", *sorted((ROOT / "places").rglob("*.yml")), *sorted((ROOT / "ateliers").rglob("*.yml"))]
    problems = {
        str(f.relative_to(ROOT)): found
        for f in files
        if (found := yamllint_problems(f.read_text(encoding="utf-8")))
    }
    assert problems == {}


# --- CONTRIBUTING.md ------------------------------------------------------------------------

def contributing() -> str:
    return CONTRIBUTING.read_text(encoding="utf-8")


def yaml_blocks() -> list[str]:
    """The ```yaml examples of the guide, without the indentation of the list they sit in."""
    found = re.findall(r"^( *)```yaml\n(.*?)^\1```", contributing(), flags=re.S | re.M)
    return [textwrap.dedent(body) for _, body in found]


def test_guide_documents_every_field_of_the_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "lieu.schema.json").read_text(encoding="utf-8"))
    text = contributing()
    missing = [name for name in schema["properties"] if f"`{name}`" not in text]
    assert missing == []
    required_section = text.split("### Champs obligatoires", 1)[1].split("###", 1)[0]
    for name in schema["required"]:
        assert f"| `{name}` |" in required_section, name


def test_guide_lists_every_vocabulary_value_and_the_plain_meaning_of_services() -> None:
    text = contributing()
    for service in vocabulary.SERVICES:
        assert f"| `{service.label}` | {service.plain} |" in text
    for values in (
        vocabulary.PUBLICS, vocabulary.PRISE_EN_CHARGE, vocabulary.FRAIS, vocabulary.ITINERANCE,
        vocabulary.MODALITES_ACCES, vocabulary.MODALITES_ACCOMPAGNEMENT, vocabulary.DISPOSITIFS,
        vocabulary.FORMATIONS_LABELS, vocabulary.EQUIPEMENTS,
    ):
        for value in values:
            assert f"`{value}`" in text, value


def test_guide_example_record_is_valid_against_the_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "lieu.schema.json").read_text(encoding="utf-8"))
    full = next(b for b in yaml_blocks() if b.startswith("# yaml-language-server: $schema=../../schemas/lieu"))
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(full))


def test_guide_workshop_example_is_valid_against_the_workshop_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "atelier.schema.json").read_text(encoding="utf-8"))
    example = next(b for b in yaml_blocks() if "atelier.schema.json" in b.splitlines()[0])
    data = yaml.load(example, Loader=yaml.BaseLoader)  # text stays text, as the site reads it
    data["places"] = int(data["places"])
    jsonschema.Draft202012Validator(schema).validate(data)
    assert (ROOT / "places").is_dir() and any(
        f"id: {data['lieu']}\n" in f.read_text(encoding="utf-8") for f in (ROOT / "places").rglob("*.yml")
    ), "l'exemple doit viser un lieu qui existe"


def test_guide_opening_hours_examples_parse() -> None:
    text = contributing()
    section = text.split("### Les horaires", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"^\| [^|]+ \| `([^`]+)` \|$", section, flags=re.M)
    assert "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00" in examples
    assert len(examples) >= 5
    for expression in examples:
        assert hours.syntax_error(expression) is None, expression
    for wrong in re.findall(r"`(9h-12h)`|`(lundi 9:00-12:00)`", section):
        assert hours.syntax_error("".join(wrong)) is not None


def test_guide_links_to_the_real_forms() -> None:
    text = contributing()
    templates = set(re.findall(r"issues/new\?template=([\w.-]+)", text))
    assert templates == {p.name for p in FORMS}
    assert "issues/new/choose" in text
    assert "projets.pavie.info/yohours" in text


def test_guide_local_links_point_to_existing_files() -> None:
    for target in re.findall(r"\]\((?!https?://|#|\.\./)([^)]+)\)", contributing()):
        assert (ROOT / target).exists(), target
