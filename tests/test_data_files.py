"""Integrity of the reviewed data files (data/), each checked against its row of data/manifest.csv.

One parametrised test runs over every file in data/ (manifest.csv and README.md excepted): it is listed
in the manifest; it parses through analytics.resources; its header is the one the code reads; every row
has as many cells as the header; the key columns are non-empty and unique; every reference resolves; a
word list holds no entry twice; no CSV cell or word-list line has stray whitespace; coded columns hold
only the values the code branches on, numeric columns numbers; and the manifest's used_by / tested_by
name the modules that read the file and the tests that exercise it. Specific tests follow: industries
and GB/T sections, theme labels and keywords, key-figure indicators, blockers, regex columns.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from analytics import paths, resources

DATA = paths.DATA_DIR
TESTS = Path(__file__).resolve().parent
THIS_TEST = "tests/" + Path(__file__).name
NOT_DATA = {resources.MANIFEST, "README.md"}
FORMATS = (".csv", ".tsv", ".txt")
MANIFEST_COLUMNS = ("file", "one_row_is", "key", "references", "used_by", "tested_by")

# The header of each headed file: the columns its readers use, in file order.
HEADERS = {
    "admin_suffixes.csv": ("suffix", "note"),
    "asset_cues.csv": ("status", "cue", "note"),
    "assets.csv": ("domain", "asset", "asset_en", "pattern"),
    "boilerplate.tsv": ("kind", "scope", "pattern"),
    "char_fixes.tsv": ("traditional", "simplified", "note"),
    "clause_frames.csv": ("pattern", "kind", "example"),
    "clause_leads.txt": ("lead",),
    "entity_generic.txt": ("word",),
    "entity_suffixes.txt": ("suffix",),
    "count_nouns.csv": ("noun", "category", "keep", "indicator_id"),
    "gbt4754_sections.csv": ("letter", "name_zh", "name_en"),
    "hedges.csv": ("hedge", "position", "meaning"),
    "indicator_catalogue.csv": ("id", "zh", "en", "dimension", "category", "qualifiers", "bare_measure",
                                "catch_all", "compared", "definition"),
    "indicator_heads.csv": ("head", "category", "indicator_id"),
    "indicator_trim.csv": ("word", "role"),
    "indicators.csv": ("pattern", "indicator", "indicator_en", "category", "kind", "parts", "indicator_id",
                       "qualifier"),
    "industries.csv": ("industry", "industry_en", "synonyms", "gbt_section", "strategic_emerging", "group",
                       "group_en"),
    "industry_blockers.csv": ("form", "reason"),
    "industry_status_cues.csv": ("status", "cue", "note"),
    "key_figures.csv": ("slot", "slot_zh", "slot_en", "indicator_id", "qualifiers"),
    "magnitudes.csv": ("prefix", "multiplier"),
    "measure_units.csv": ("measure", "measure_normalized", "multiplier", "kind", "chinese_ok",
                          "default_indicator", "indicator_en", "category", "indicator_id"),
    "non_figure_followers.csv": ("follower", "reason"),
    "office_prefixes.csv": ("prefix", "level"),
    "period_cues.csv": ("cue", "period"),
    "pinyin_tones.tsv": ("mark", "base"),
    "radical_forms.tsv": ("radical", "character", "name"),
    "place_references.csv": ("word", "level", "weight"),
    "plan_periods.csv": ("period", "start_year", "end_year"),
    "punct_map.tsv": ("source", "target", "context"),
    "rank_verbs.txt": ("verb",),
    "scope_cues.csv": ("cue", "level", "own_suffix"),
    "set_nouns.txt": ("noun",),
    "short_name_followers.txt": ("word",),
    "short_name_generic_chars.txt": ("char",),
    "speaker_cues.csv": ("cue", "type"),
    "status_cues.csv": ("cue", "scope", "status"),
    "taxonomies.csv": ("taxonomy", "value", "zh", "en", "comparable", "note"),
    "term_pos.csv": ("pos", "name", "example", "why"),
    "theme_colors.csv": ("theme", "color"),
    "themes.csv": ("theme", "theme_zh", "theme_en", "keyword"),
    "ui_strings.csv": ("key", "zh", "en"),
    "zone_deictic_chars.txt": ("char",),
    "zone_mid_dropped.txt": ("word",),
    "zone_patterns.csv": ("suffix", "canonical_suffix", "free"),
    "zone_prefix_stopchars.txt": ("char",),
}
# Word lists without a header (read with resources.read_lines): the space-separated fields of an entry.
WORD_LISTS = {"domain_dict.txt": ("word", "freq", "tag"), "generic_terms.txt": ("word",),
              "stopwords.txt": ("word",)}
# Cells that may start or end with a space on purpose: the UI strings are read with strip=False because
# separators (", ", " · ") carry their spaces.
SPACED = {("ui_strings.csv", "zh"), ("ui_strings.csv", "en")}
# Columns holding Python regexes. True: the patterns are joined into one alternation of named groups
# (which row matched is told by the group's name), so a pattern may have no capturing group of its own.
REGEX_COLUMNS = {
    ("assets.csv", "pattern"): True,
    ("indicators.csv", "pattern"): True,
    ("scope_cues.csv", "cue"): True,
    ("boilerplate.tsv", "pattern"): False,
    ("asset_cues.csv", "cue"): False,
    ("industry_status_cues.csv", "cue"): False,
    ("status_cues.csv", "cue"): False,
    ("period_cues.csv", "cue"): False,
    ("clause_frames.csv", "pattern"): False,
}
# Columns whose cells must parse as numbers of this type (a freq of a word list: the field of its entries).
NUMBERS = {
    ("magnitudes.csv", "multiplier"): int,
    ("measure_units.csv", "multiplier"): float,
    ("place_references.csv", "weight"): int,
    ("plan_periods.csv", "start_year"): int,
    ("plan_periods.csv", "end_year"): int,
    ("domain_dict.txt", "freq"): int,
}
# References that need a transform before they can be looked up (the manifest notes them in parentheses).
TRANSFORMS = {("industries.csv", "gbt_section"): lambda cell: cell.split(" ", 1)[0],
              ("key_figures.csv", "indicator_id"): lambda cell: cell.removesuffix("_growth")}


def _enums() -> dict[tuple[str, str], set[str]]:
    """Coded columns -> the values the code branches on (imported lazily: the data checks above need no
    analysis module to import)."""
    from analytics.features.assets import DOMAINS
    from analytics.features.figures import CATEGORIES
    from analytics.features.indicators import DIMENSIONS, PERIODS, STATUSES
    from analytics.pipeline.lexicon import HAS, TARGETS

    levels = {"county", "city", "district", "province"}  # analytics.pipeline.units._matches_level
    return {
        ("asset_cues.csv", "status"): {"absent", "aspiration"},
        ("assets.csv", "domain"): set(DOMAINS),
        ("boilerplate.tsv", "scope"): {"line", "span", "tail", "block"},
        ("count_nouns.csv", "category"): set(CATEGORIES),
        ("count_nouns.csv", "keep"): {"0", "1"},
        ("hedges.csv", "position"): {"pre", "mid", "post"},
        ("indicator_heads.csv", "category"): set(CATEGORIES) | {""},
        ("indicator_trim.csv", "role"): {"split", "lead"},
        ("indicators.csv", "category"): set(CATEGORIES),
        ("indicators.csv", "kind"): {"measure", "ratio", "growth", "decline"},
        ("clause_frames.csv", "kind"): {"time", "topic"},
        ("industries.csv", "strategic_emerging"): {"true", "false"},
        ("industry_status_cues.csv", "status"): {HAS, TARGETS},
        ("measure_units.csv", "category"): set(CATEGORIES),
        ("measure_units.csv", "chinese_ok"): {"yes", "no", "noun"},
        ("office_prefixes.csv", "level"): levels,
        ("place_references.csv", "level"): levels,
        ("punct_map.tsv", "context"): {"cjk", "after_cjk", "pair", "always", "mark"},
        ("speaker_cues.csv", "type"): {"role", "verb", "pronoun", "organ", "host", "placing", "neighbour"},
        ("status_cues.csv", "scope"): {"before", "clause"},
        ("status_cues.csv", "status"): set(STATUSES),
        ("period_cues.csv", "period"): set(PERIODS) | {"m1_m{m}", "until_m{m}"},
        ("indicator_catalogue.csv", "dimension"): DIMENSIONS,
        ("indicator_catalogue.csv", "category"): set(CATEGORIES),
        ("indicator_catalogue.csv", "catch_all"): {"yes", ""},
        ("indicator_catalogue.csv", "compared"): {"within_document", ""},
        ("taxonomies.csv", "taxonomy"): {"category", "kind", "status", "domain", "figure_status", "period", "qualifier"},
        ("taxonomies.csv", "comparable"): {"yes", ""},
        ("zone_patterns.csv", "free"): {"yes", "no"},
    }


def _data_files() -> list[str]:
    return sorted(p.name for p in DATA.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p.name not in NOT_DATA)


def _manifest() -> dict[str, dict[str, str]]:
    return {row["file"]: row for row in resources.read_records(resources.MANIFEST)}


def _parts(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


# ---------------------------------------------------------------- reading, independently of the reader

def _content(name: str) -> list[tuple[int, str]]:
    """(line number, line) of the file's content lines: comments and blank lines left out."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")]


def _raw_rows(name: str) -> list[tuple[int, list[str]]]:
    """(line number, cells as written) of every content row, the header first."""
    lines = _content(name)
    if name in WORD_LISTS:
        return [(n, line.split(" ")) for n, line in lines]
    numbers = [n for n, _ in lines]
    delimiter, quoting = ("\t", csv.QUOTE_NONE) if name.endswith(".tsv") else (",", csv.QUOTE_MINIMAL)
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=delimiter, quoting=quoting)
    rows = []
    for cells in reader:
        rows.append((numbers[min(reader.line_num, len(numbers)) - 1], cells))
    return rows


def _read(name: str) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    """(header, rows as dicts) through analytics.resources; a word list's entries split into its fields."""
    if name in WORD_LISTS:
        fields = WORD_LISTS[name]
        return fields, [dict(zip(fields, entry.split())) for entry in resources.read_lines(name)]
    records = resources.read_records(name)
    header = resources.read_table(name).columns
    return tuple(header), records


# ---------------------------------------------------------------- references

_REFERENCE = re.compile(r"^(?P<source>\w+)(?P<source_list>\[\])?->(?P<targets>[\w.+\[\]]+)(?: \((?P<note>[^()]+)\))?$")
_TARGET = re.compile(r"^(?P<file>\w+\.(?:csv|tsv|txt))\.(?P<column>\w+)(?P<list>\[\])?$")


def _references(cell: str) -> list[dict]:
    """The manifest's references cell -> [{source, source_list, targets: [(file, column, list)], note}]."""
    out = []
    for text in _parts(cell):
        m = _REFERENCE.match(text)
        assert m, f"reference {text!r} is not column[[]]->file.column[[]](+file.column…) ( (note))"
        targets = []
        for target in m["targets"].split("+"):
            t = _TARGET.match(target)
            assert t, f"reference target {target!r} is not file.column[[]]"
            targets.append((t["file"], t["column"], bool(t["list"])))
        out.append({"source": m["source"], "source_list": bool(m["source_list"]), "targets": targets,
                    "note": m["note"]})
    return out


def _values(name: str, column: str, is_list: bool) -> list[str]:
    cells = [row[column] for row in _read(name)[1]]
    return [p.strip() for c in cells for p in c.split("|") if p.strip()] if is_list else [c for c in cells if c]


# ---------------------------------------------------------------- the checks of one file

def _check_header(name: str, header: tuple[str, ...]) -> list[str]:
    problems = []
    if not header:
        problems.append("no header")
    if any(not cell.strip() for cell in header):
        problems.append(f"empty header cell in {header}")
    duplicated = sorted(c for c, k in Counter(header).items() if k > 1)
    if duplicated:
        problems.append(f"duplicate columns {duplicated}")
    expected = WORD_LISTS.get(name) or HEADERS.get(name)
    if expected is None:
        problems.append("no expected header in HEADERS or WORD_LISTS of tests/test_data_files.py")
    elif tuple(header) != expected:
        problems.append(f"header {header} is not the one the code reads, {expected}")
    return problems


def _check_cells(name: str) -> list[str]:
    raw = _raw_rows(name)
    if name in WORD_LISTS:
        width, body = len(WORD_LISTS[name]), raw
    else:
        if not raw:
            return ["no header row"]
        width, body = len(raw[0][1]), raw[1:]
    problems = [f"line {n}: {len(cells)} cells, expected {width}" for n, cells in body if len(cells) != width]
    if not body:
        problems.append("no entries")
    if name.endswith(".tsv"):
        return problems  # TSV cells are kept as written (a punctuation map may map to a space)
    header = WORD_LISTS.get(name) or tuple(raw[0][1])
    for n, cells in raw:
        for column, cell in zip(header, cells):
            if cell != cell.strip() and (name, column) not in SPACED:
                problems.append(f"line {n}: {column} {cell!r} has leading or trailing whitespace")
            if name in WORD_LISTS and not cell:
                problems.append(f"line {n}: an empty field (two spaces in a row?)")
    return problems


def _check_key(name: str, key: str, header: tuple[str, ...], rows: list[dict[str, str]]) -> list[str]:
    columns = _parts(key)
    missing = [c for c in columns if c not in header]
    if missing:
        return [f"key columns {missing} not in the header {header}"]
    problems = []
    for number, row in enumerate(rows, start=1):
        empty = [c for c in columns if not row.get(c, "")]
        if empty:
            problems.append(f"entry {number}: empty key {empty}")
    counts = Counter(tuple(row.get(c, "") for c in columns) for row in rows)
    duplicated = sorted(k for k, n in counts.items() if n > 1)
    if duplicated:
        problems.append(f"key {columns} not unique: {duplicated}")
    return problems


def _check_word_list(name: str) -> list[str]:
    if not name.endswith(".txt"):
        return []
    entries = (resources.read_lines(name) if name in WORD_LISTS
               else resources.read_column(name, HEADERS[name][0]))
    duplicated = sorted(e for e, n in Counter(entries).items() if n > 1)
    return [f"entries listed twice: {duplicated}"] if duplicated else []


def _check_references(name: str, cell: str, header: tuple[str, ...], rows: list[dict[str, str]],
                      manifest: dict[str, dict[str, str]]) -> list[str]:
    problems = []
    for ref in _references(cell):
        source = ref["source"]
        if source not in header:
            problems.append(f"reference source {source} not in the header {header}")
            continue
        transform = TRANSFORMS.get((name, source))
        if bool(ref["note"]) != bool(transform):
            problems.append(f"reference of {source}: a note in the manifest and a transform in TRANSFORMS "
                            "go together")
            continue
        allowed = set()
        for file, column, is_list in ref["targets"]:
            if file not in manifest:
                problems.append(f"reference target {file} is not a data file of the manifest")
            elif column not in _read(file)[0]:
                problems.append(f"reference target {file} has no column {column}")
            else:
                allowed |= set(_values(file, column, is_list))
        if not allowed:
            problems.append(f"reference of {source}: no values to resolve against")
            continue
        cells = [row[source] for row in rows]
        values = [p.strip() for c in cells for p in c.split("|") if p.strip()] if ref["source_list"] \
            else [c for c in cells if c]
        unresolved = sorted({v for v in values if (transform(v) if transform else v) not in allowed})
        if unresolved:
            targets = "+".join(f"{f}.{c}" for f, c, _ in ref["targets"])
            problems.append(f"{source} values not in {targets}: {unresolved}")
    return problems


def _check_values(name: str, rows: list[dict[str, str]]) -> list[str]:
    problems = []
    for (file, column), allowed in _enums().items():
        if file == name:
            unknown = sorted({row[column] for row in rows} - allowed)
            if unknown:
                problems.append(f"{column} values {unknown} are none of {sorted(allowed)}")
    for (file, column), kind in NUMBERS.items():
        if file == name:
            for row in rows:
                try:
                    ok = kind(row[column]) > 0
                except (ValueError, KeyError):
                    ok = False
                if not ok:
                    problems.append(f"{column} {row.get(column)!r} is not a positive {kind.__name__}")
    return problems


def _readers(name: str) -> set[str]:
    """Modules (paths from the checkout root) that quote the file's name: the ones that read it."""
    quoted = re.compile(rf"""["']{re.escape(name)}["']""")
    modules = sorted(paths.PACKAGE.rglob("*.py")) + sorted((paths.ROOT / "app_pages").glob("*.py"))
    modules += [paths.ROOT / "app.py"]
    return {p.relative_to(paths.ROOT).as_posix() for p in modules
            if p.is_file() and quoted.search(p.read_text(encoding="utf-8"))}


def _check_used_by(name: str, cell: str) -> list[str]:
    listed, readers = set(_parts(cell)), _readers(name)
    problems = [f"used_by lists {m}, which does not read it" for m in sorted(listed - readers)]
    problems += [f"{m} reads it but is not in used_by" for m in sorted(readers - listed)]
    return problems


def _imports(source: str, module: str) -> bool:
    """Whether test source imports `module` ('analytics/pipeline/clean.py')."""
    dotted = module.removesuffix(".py").replace("/", ".")
    package, _, last = dotted.rpartition(".")
    return bool(re.search(rf"\b{re.escape(dotted)}\b", source)
                or re.search(rf"from {re.escape(package)} import [^\n]*\b{last}\b", source))


def _check_tested_by(name: str, cell: str, used_by: str) -> list[str]:
    mentions = re.compile(rf"(?<![\w.]){re.escape(name)}")
    problems = []
    listed = _parts(cell)
    for test in listed:
        path = paths.ROOT / test
        if not path.is_file():
            problems.append(f"tested_by lists {test}, which does not exist")
            continue
        source = path.read_text(encoding="utf-8")
        if not (mentions.search(source) or any(_imports(source, m) for m in _parts(used_by))):
            problems.append(f"tested_by lists {test}, which neither names it nor imports a module of used_by")
    for path in sorted(TESTS.glob("test_*.py")):
        test = f"tests/{path.name}"
        if test != THIS_TEST and test not in listed and mentions.search(path.read_text(encoding="utf-8")):
            problems.append(f"{test} names it but is not in tested_by")
    return problems


# ---------------------------------------------------------------- the tests

def test_manifest_lists_existing_files():
    header = tuple(resources.read_table(resources.MANIFEST).columns)
    assert header == MANIFEST_COLUMNS
    rows = resources.read_records(resources.MANIFEST)
    names = [row["file"] for row in rows]
    assert [n for n, k in Counter(names).items() if k > 1] == []
    assert [n for n in names if not (DATA / n).is_file() or n in NOT_DATA] == []
    assert [r["file"] for r in rows if not r["one_row_is"] or not r["used_by"]] == []
    assert names == sorted(names), "keep the manifest in file order"


def test_readme_table_is_the_manifest():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    table = resources.manifest_markdown()
    assert table in readme, "regenerate the table of data/README.md from the manifest (see its intro)"
    table_lines = [line for line in readme.splitlines() if line.startswith("|")]
    assert table_lines == table.splitlines(), "data/README.md holds table rows that are not the manifest's"


@pytest.mark.parametrize("name", _data_files())
def test_data_file(name):
    manifest = _manifest()
    assert name.endswith(FORMATS), f"{name}: data files are .csv, .tsv or .txt"
    assert name in manifest, f"{name} has no row in data/manifest.csv"
    entry = manifest[name]
    header, rows = _read(name)  # parses through analytics.resources (raises on a row of the wrong width)
    problems = _check_header(name, header) + _check_cells(name)
    if not problems:
        problems += _check_key(name, entry["key"], header, rows)
        problems += _check_word_list(name)
        problems += _check_references(name, entry["references"], header, rows, manifest)
        problems += _check_values(name, rows)
    problems += _check_used_by(name, entry["used_by"])
    problems += _check_tested_by(name, entry["tested_by"], entry["used_by"])
    assert problems == [], f"data/{name}:\n" + "\n".join(problems)


def test_every_industry_is_in_a_defined_gbt_section():
    sections = {f"{r['letter']} {r['name_zh']}" for r in resources.read_records("gbt4754_sections.csv")}
    undefined = sorted({r["gbt_section"] for r in resources.read_records("industries.csv")} - sections)
    assert undefined == [], "gbt_section must be '<letter> <name_zh>' of data/gbt4754_sections.csv"


def test_every_industry_group_has_one_english_name():
    names: dict[str, set[str]] = {}
    for row in resources.read_records("industries.csv"):
        names.setdefault(row["group"], set()).add(row["group_en"])
    assert {group: en for group, en in names.items() if len(en) != 1} == {}


def test_every_theme_has_keywords_and_one_label_per_language():
    rows = resources.read_records("themes.csv")
    themes = sorted({r["theme"] for r in rows})
    assert themes
    for theme in themes:
        own = [r for r in rows if r["theme"] == theme]
        assert [r["keyword"] for r in own if r["keyword"]], f"theme {theme} has no keyword"
        assert len({r["theme_zh"] for r in own}) == 1, f"theme {theme} has several Chinese labels"
        assert len({r["theme_en"] for r in own}) == 1, f"theme {theme} has several English labels"
        assert "" not in {r["theme_zh"] for r in own} | {r["theme_en"] for r in own}, theme
    for column in ("theme_zh", "theme_en"):
        labels = {(r["theme"], r[column]) for r in rows}
        shared = [label for label, n in Counter(label for _, label in labels).items() if n > 1]
        assert shared == [], f"two themes share the {column} label"


def test_no_keyword_is_listed_twice_in_the_theme_file():
    counts = Counter(r["keyword"] for r in resources.read_records("themes.csv"))
    assert sorted(k for k, n in counts.items() if n > 1) == []


def test_every_key_figure_qualifier_is_one_of_its_indicator():
    from analytics.features.indicators import catalogue

    for row in resources.read_records("key_figures.csv"):
        entry = catalogue()[row["indicator_id"].removesuffix("_growth")]
        qualifiers = _parts(row["qualifiers"])
        assert set(qualifiers) <= set(entry.qualifiers), f"key figure {row['slot']}"
        assert len(qualifiers) == len(set(qualifiers)), f"key figure {row['slot']} lists one twice"


def test_every_industry_blocker_holds_an_industry_form_and_is_none():
    forms = set()
    for row in resources.read_records("industries.csv"):
        forms |= {row["industry"], *(p.strip() for p in _parts(row["synonyms"]))}
    blockers = resources.read_column("industry_blockers.csv", "form")
    assert [b for b in blockers if b in forms] == [], "a blocker that is an industry form blocks that form"
    assert [b for b in blockers if not any(f in b for f in forms)] == [], "a blocker must hold an industry form"


@pytest.mark.parametrize("name,column", sorted(REGEX_COLUMNS))
def test_regex_column_compiles(name, column):
    no_groups = REGEX_COLUMNS[(name, column)]
    patterns = resources.read_column(name, column)
    assert len(patterns) == len(resources.read_records(name)), f"{column}: a row without a pattern"
    for pattern in patterns:
        try:
            compiled = re.compile(pattern, re.M)
        except re.error as error:
            pytest.fail(f"data/{name} {column} {pattern!r}: {error}")
        assert compiled.search("") is None, f"{pattern!r} matches the empty string, so everywhere"
        if no_groups:
            assert compiled.groups == 0, f"{pattern!r}: use (?:…); rows are told apart by a named group each"


def test_taxonomies_define_every_value_the_code_produces():
    from analytics.features.figures import CATEGORIES
    from analytics.pipeline.gazetteer import load_gazetteer
    from analytics.pipeline.lexicon import HAS, TARGETS
    from analytics.resources import taxonomy, taxonomy_values

    assert CATEGORIES == taxonomy_values("category") and "other" in CATEGORIES  # the fallback category
    assert set(taxonomy_values("status")) == {HAS, TARGETS}
    kinds = set(taxonomy_values("kind"))
    assert set(load_gazetteer()["kind"]) | {"zone", "unknown"} <= kinds  # units.py adds zones and unknowns
    assert set(taxonomy_values("kind", comparable="yes")) < kinds
    for name in ("category", "kind", "status", "domain", "figure_status", "period", "qualifier"):
        for row in taxonomy(name):
            assert row["zh"] and row["en"] and row["zh"] != row["en"], row
    assert set(taxonomy_values("domain")) <= set(taxonomy_values("category"))  # domains are figure categories too


def test_every_qualifier_of_the_catalogue_has_a_label():
    """A cell shows a qualifier other than its indicator's default by its label (城镇居民 under 人均可支配收入)."""
    from analytics.features.indicators import catalogue
    from analytics.resources import taxonomy_values

    used = {q for entry in catalogue().values() for q in entry.qualifiers}
    assert used == set(taxonomy_values("qualifier"))
