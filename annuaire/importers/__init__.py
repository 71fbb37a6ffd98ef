"""Importers: the three real sources of places (and a CSV of the standard) → records of the
national standard v1.0.2.

Pure functions only: `scripts/import_sources.py` reads the files and writes `places/`, with
`merge.build_import` (one module per source, `mapping` for the shared table of old labels). The
importer never invents a value; every defect it meets is reported, grouped per record.

Sources and mappings
--------------------
Every source is read through ANCT's own mapping file (`data/anct-mapping/`, copied from the
national cartography's pipeline by `scripts/copy_anct_mapping.py`; see `anct_mapping.py`), so a
record says what the national cartography would say of the same row. On top of it:
  - ids are prefixed with their source (`france-services-<id_fs>`, `conseillers-numeriques-<id>`,
    `data-inclusion-<id>`): three sources share one directory;
  - `telephone` in E.164; names and addresses in capitals rewritten the French way (reported);
  - every record carries `provenance` (source, file, date, id in the source; with several
    sources, the fields each gave) and `valeurs_deduites` (fields a rule gave, not the row);
  - `typologie` read in the name when it leaves no doubt (`mapping.TYPOLOGY_RULES`), recorded
    as deduced by `typologie-nom`.

France services (ANCT, `liste-fs-AAAAMMJJ.csv`), mapping `france-services.config.json`:
  - `horaires`: the day columns (`09:00 - 12:00 / 13:30 - 17:00`) converted to OpenStreetMap
    syntax, consecutive identical days grouped; the placeholder `00:00 - 00:00` is dropped and
    reported; a day that cannot be read leaves the hours out (never half-guessed);
  - every row gets ANCT's constant values: `typologie: [RFS]` and `dispositif_programmes_nationaux:
    [France Services]` (facts: the row is in the list), `services` (four) and `frais_a_charge:
    [Gratuit]` (deduced from the France services charter: the page says so);
  - `date_maj` is the date of the list, not the labellisation date ANCT's file takes;
  - `Multisites`: the communes named in the comment (« Lundi : AYRON - Mairie … ») become
    `communes_desservies`.

Conseillers numériques 2022 and data·inclusion 2023, mapping `conseiller-numerique.config.json`
(the 2023 feed is that pipeline's output, with the same labels; its rows have no coordinates:
the map puts them at their commune, marked « position approximative »).

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
