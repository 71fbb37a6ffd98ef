"""Importers: the two real sources of places (and a CSV of the standard) → records of the
national standard v1.0.2.

Pure functions only: `scripts/import_sources.py` reads the files and writes `places/`, with
`merge.build_import` (one module per source, `mapping` for the shared table of old labels). The
importer never invents a value; every defect it meets is reported, grouped per record.

Sources and mappings
--------------------
France services (ANCT, `liste-fs-AAAAMMJJ.csv`):
  - `id: france-services-<id_fs>`, `nom` = `lib_fs`, address fields as given, `code_insee` =
    `insee_com`, `commune` = the territory's name for that INSEE code;
  - `telephone` in E.164; `courriels: [mail]`;
  - `horaires`: the columns `h_lundi`…`h_samedi` (`09:00 - 12:00 / 13:30 - 17:00`) converted to
    OpenStreetMap syntax, consecutive identical days grouped (`Mo-Fr …; Sa …`). The placeholder
    `00:00 - 00:00` is dropped and reported; an empty day is closed; no day at all → no `horaires`;
  - `prise_rdv` → `modalites_acces`: `Non` → `Se présenter` (no appointment needed),
    `Oui` → `Téléphoner` (the source gives no booking link, only a phone number: calling first is
    the one way to get an appointment we can state);
  - `format_fs`: `Fixe`/`Multisites` → `itinerance: [Fixe]`, `Itinérante` → `[Itinérant]`;
  - `commentaire` (the source's own free text) → `presentation_detail`;
  - derived from the label itself, not invented: the national France services charter obliges
    every labelled place to help with online procedures, to give free access to a computer and
    internet, for free and with a person: `dispositif_programmes_nationaux: [France Services]`,
    `services: [Aide aux démarches administratives, Accès internet et matériel informatique]`,
    `frais_a_charge: [Gratuit]`, `modalites_accompagnement: [Accompagnement individuel]`;
  - `typologie`: `LA_POSTE` if the name says "La Poste", `PIMMS` if it says "Pimms", else `RFS`;
  - `source: France services (ANCT)`, `date_maj` = the date of the file.

Conseillers numériques 2022 (cartographie nationale, schema v0.1):
  - `id: conseillers-numeriques-<id>`, fields as given, `courriel` → `courriels: [..]`, `pivot`
    kept when present, `source`/`date_maj`/`horaires` exactly as given (never guessed);
  - `services` (comma-separated v0.1 labels) → v1.0.2 labels through `SERVICES_V01`; an unknown
    label is reported, never guessed; `conditions_access` → `frais_a_charge`,
    `labels_nationaux` → `dispositif_programmes_nationaux` (tables below);
  - `typologie` only when the name makes it unambiguous (`TYPOLOGY_RULES`), else absent.

Checks: commune, postcode and INSEE code must agree with the territory. A postcode that belongs
to no commune (CEDEX) is replaced by the commune's postcode only when it has exactly one; any
other disagreement is reported, and a record that cannot be made consistent without guessing is
not written ("à corriger à la main").

Duplicates: two rows are the same place when they are in the same commune and share a phone
number, an e-mail address, coordinates less than 100 m apart, or the same normalised address.
The newest row is kept (id, source, date_maj, horaires); the lists describing programmes and
services are united; a value missing in the kept row may be filled from an older row (reported).

Slugs: `slugify(nom)` without the commune's name (the folder already says it: `places/gencay/
france-services.yml`), unless that leaves a single word (`grand-chatellerault` stays whole);
"France services" is kept because residents know places by that name. At most 60 characters,
made unique within a commune with `-2`, `-3`.
"""
