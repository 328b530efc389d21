"""Benchmark: a synthetic corpus of N county documents -> build, rebuild, add, query and Compare timings.

`python benchmarks/bench.py --sizes 100 1000 3000 --markdown BENCHMARKS.md` generates, for each N, a
corpus of N documents (~10 KB each) under `benchmarks/corpus/` (git-ignored): every document speaks
for a different real county-level division of the gazetteer, its text made of the seeds' clean
sentences with the seed place names replaced by that county's (and its prefecture's and province's)
names and every number varied, so units, figures and similarity all have work to do. One document in
five is written in Traditional script, so the cleaner converts it back.

For each N it measures, in the same run: the full build (`python -m analytics build --force` in a
fresh process: wall time, MB/s, peak RSS of the process and its pool workers), an unchanged rebuild
(cache hit), adding one document to a store holding the corpus (`analytics.corpus.library.add_files`, then
`load_tables` recomputing the corpus-wide tables), nearest neighbours of one unit (on the built
similarity table and through the fitted TF-IDF model), the analytics calls and chart specs of one
Compare-page rerun with 6 units (and the page itself through Streamlit's AppTest), and a naive
baseline — `jieba.lcut` + `TfidfVectorizer` + dense `cosine_similarity` in one process — against the
similarity path (tokens -> TF-IDF -> neighbours). Without `--markdown` the tables only go to stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import paths

CORPUS_ROOT = paths.ROOT / "benchmarks" / "corpus"
DOC_BYTES = 10_000
TRADITIONAL_EVERY = 5
COMPARE_UNITS = 6
NEIGHBOURS_K = 5

# Targets at N = 3,000 on a 2-core machine (the list): row key -> (limit, "le" | "ge").
TARGETS = {
    "build_s": (30.0, "le"),
    "peak_rss_mb": (2048.0, "le"),
    "rebuild_s": (2.0, "le"),
    "add_one_s": (3.0, "le"),
    "neighbours_ms": (50.0, "le"),
    "neighbours_model_ms": (50.0, "le"),
    "compare_ms": (300.0, "le"),
    "similarity_speedup": (5.0, "ge"),
    "build_speedup": (1.0, "ge"),
}


# ---------------------------------------------------------------- the synthetic corpus

_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_YEARISH_RE = re.compile(r"(?:19|20)\d{2}$")


@dataclass
class _Sentence:
    text: str
    mentions: list[tuple[int, int, str, str]]  # start, end, kind, surface (offsets into text)


@dataclass
class SeedPool:
    """The seeds' clean paragraphs, cut into sentences, with their place mentions located once."""

    paragraphs: list[list[_Sentence]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)


def seed_pool() -> SeedPool:
    """Clean the seeds (analytics.pipeline.clean through the build's cleaner) and index their sentences."""
    from analytics.corpus.engine import clean_documents
    from analytics.pipeline.gazetteer import load_gazetteer
    from analytics.pipeline.ingest import document_paths, load_documents
    from analytics.pipeline.text import sentence_spans
    from analytics.pipeline.units import find_mentions

    documents, _ = load_documents(document_paths(paths.SEEDS_DIR))
    cleaned = clean_documents(documents)
    gazetteer = load_gazetteer()
    pool = SeedPool()
    for text in cleaned["clean_text"]:
        mentions = find_mentions(text, gazetteer)
        spans = list(zip(mentions["start"], mentions["end"], mentions["kind"], mentions["surface"]))
        lines = text.split("\n")
        pos = 0
        for i, line in enumerate(lines):
            start = pos
            pos += len(line) + 1
            if i == 0:
                pool.titles.append(line)
                continue
            if len(line) < 20 or "\ufffd" in line:  # speaker headers and flagged runs are not reused
                continue
            sentences = []
            for a, b in sentence_spans(line):
                inside = [(s - start - a, e - start - a, k, surface) for s, e, k, surface in spans
                          if start + a <= s and e <= start + b]
                sentences.append(_Sentence(line[a:b], inside))
            if sentences:
                pool.paragraphs.append(sentences)
    return pool


def _short(name: str) -> str:
    for suffix in ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "地区", "省", "市", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _place_names(county: dict) -> dict[str, tuple[str, str]]:
    """kind -> (full name, short name) of the target county and the areas around it."""
    prefecture = county["prefecture"] or county["province"]
    own = (county["name"], county["short_name"])
    return {"county": own, "county_city": own, "district": own,
            "prefecture": (prefecture, _short(prefecture)),
            "province": (county["province"], _short(county["province"]))}


def _vary_number(match: re.Match, rng: np.random.Generator) -> str:
    text = match.group()
    end = match.end()
    following = match.string[end:end + 1]
    if _YEARISH_RE.match(text) and following in ("年", "-", "—", "至", "～"):
        return text  # a year stays a year
    if len(text) <= 2 and following in ("月", "日", "时"):
        return text
    value = float(text) * rng.uniform(0.4, 1.8)
    if "." in text:
        decimals = len(text.split(".")[1])
        return f"{value:.{decimals}f}"
    return str(max(1, int(round(value))))


def _rewrite(sentence: _Sentence, names: dict[str, tuple[str, str]], rng: np.random.Generator) -> str:
    out, pos = [], 0
    for start, end, kind, surface in sentence.mentions:
        out.append(sentence.text[pos:start])
        if kind == "zone":
            out.append(names["county"][1] + "经济开发区")
        else:
            full, short = names.get(kind, names["county"])
            out.append(full if len(surface) >= len(full) or surface.endswith(("县", "市", "区", "省")) else short)
        pos = end
    out.append(sentence.text[pos:])
    return _NUMBER_RE.sub(lambda m: _vary_number(m, rng), "".join(out))


def synthetic_document(pool: SeedPool, county: dict, seed: int, size: int = DOC_BYTES) -> str:
    """One document (UTF-8 about `size` bytes) speaking for `county` (a gazetteer row as a dict)."""
    rng = np.random.default_rng(seed)
    names = _place_names(county)
    title_tail = re.sub(r"^.*?[县市区：:]", "", pool.titles[int(rng.integers(len(pool.titles)))])
    lines = [f"{names['prefecture'][0]}{county['name']}：{title_tail or '推动高质量发展'}"]
    n_bytes = len(lines[0].encode())
    while n_bytes < size:
        paragraph = pool.paragraphs[int(rng.integers(len(pool.paragraphs)))]
        line = "".join(_rewrite(s, names, rng) for s in paragraph)
        lines.append(line)
        n_bytes += len(line.encode()) + 1
    return "\n".join(lines) + "\n"


def county_rows(n: int, seed: int = 7) -> list[dict]:
    """n different county-level divisions of the gazetteer, in a fixed shuffled order."""
    from analytics.pipeline.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    counties = gazetteer[gazetteer["level"] == "county"].reset_index(drop=True)
    if n > len(counties):
        raise ValueError(f"the gazetteer has {len(counties)} county-level divisions; asked for {n}")
    order = np.random.default_rng(seed).permutation(len(counties))[:n]
    return counties.iloc[order].to_dict("records")


def write_corpus(directory: Path, n: int, pool: SeedPool | None = None) -> list[Path]:
    """Write n synthetic documents into `directory` (emptied first); returns their paths."""
    import opencc

    pool = pool or seed_pool()
    to_traditional = opencc.OpenCC("s2t")
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    files = []
    for i, county in enumerate(county_rows(n + 1)[:n]):
        text = synthetic_document(pool, county, seed=i)
        if i % TRADITIONAL_EVERY == TRADITIONAL_EVERY - 1:
            text = to_traditional.convert(text)
        path = directory / f"{i:05d}_{county['adcode']}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def extra_document(pool: SeedPool, n: int) -> tuple[str, bytes]:
    """The (n+1)-th document: a county not in the corpus of size n, for the add-one measurement."""
    county = county_rows(n + 1)[n]
    text = synthetic_document(pool, county, seed=10_000_000 + n)
    return f"{n:05d}_{county['adcode']}.txt", text.encode("utf-8")


# ---------------------------------------------------------------- measuring


class PeakRSS:
    """Peak resident memory of a process and all its children (pool workers), sampled every 20 ms."""

    def __init__(self, pid: int, interval: float = 0.02):
        import psutil

        self._process = psutil.Process(pid)
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        try:
            processes = [self._process, *self._process.children(recursive=True)]
        except psutil.Error:
            return 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self._interval)

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _python_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(paths.ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_cli_build(docs: Path, out: Path, force: bool) -> dict:
    """`python -m analytics build` in a fresh process: wall seconds, peak RSS (MB, with workers), output."""
    command = [sys.executable, "-m", "analytics", "build", "--docs", str(docs), "--out", str(out)]
    if force:
        command.append("--force")
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=paths.ROOT, env=_python_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    with PeakRSS(process.pid) as peak:
        stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise RuntimeError(f"build failed ({process.returncode}): {stderr[-2000:]}")
    return {"wall_s": wall, "peak_rss_mb": peak.peak / 2**20, "stdout": stdout.strip()}


_STARTUP_SNIPPET = r"""
import json, time
t = {}
s = time.perf_counter(); import analytics.corpus.engine; t["import analytics.corpus.engine"] = time.perf_counter() - s
from analytics.pipeline import clean
from analytics.features import figures
from analytics.features import industries
from analytics.features import assets
from analytics.features import themes
from analytics.pipeline import tokens
from analytics.pipeline import units
from analytics.pipeline import gazetteer
s = time.perf_counter(); g = gazetteer.load_gazetteer(); t["load_gazetteer"] = time.perf_counter() - s
s = time.perf_counter(); units._matcher(g); t["units matcher (name index, patterns)"] = time.perf_counter() - s
s = time.perf_counter(); tokens.segmenter(); t["segmenter (rjieba + domain dict + place names)"] = time.perf_counter() - s
s = time.perf_counter(); clean._lexicon(); t["clean: jieba dict for garbled runs"] = time.perf_counter() - s
s = time.perf_counter(); figures.lexicons(); t["figures lexicons"] = time.perf_counter() - s
s = time.perf_counter(); industries._industry_matcher(); t["industry matcher"] = time.perf_counter() - s
s = time.perf_counter(); assets._asset_matcher(); assets.asset_cues(); t["asset matcher"] = time.perf_counter() - s
s = time.perf_counter(); themes._theme_matcher(); t["theme matcher"] = time.perf_counter() - s
print(json.dumps(t))
"""


def startup_costs() -> dict[str, float]:
    """What one fresh (pool) process pays before its first document, measured in a new interpreter."""
    result = subprocess.run([sys.executable, "-c", _STARTUP_SNIPPET], cwd=paths.ROOT, env=_python_env(),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def stage_costs(files: list[Path], limit: int = 200) -> dict[str, float]:
    """Milliseconds per document of each per-document stage, one process, caches warm."""
    from analytics.corpus.engine import clean_documents
    from analytics.features.assets import extract_assets
    from analytics.features.figures import extract_figures
    from analytics.features.industries import extract_industries
    from analytics.pipeline.gazetteer import load_gazetteer
    from analytics.pipeline.ingest import load_documents
    from analytics.pipeline.tokens import passage_tokens
    from analytics.pipeline.units import find_units

    sample = files[:limit]
    warm, _ = load_documents(sample[:3], source="folder")
    find_units(clean_documents(warm), load_gazetteer())  # caches built outside the timings
    documents, _ = load_documents(sample, source="folder")
    n = len(documents)
    out = {}
    started = time.perf_counter()
    cleaned = clean_documents(documents)
    out["clean"] = time.perf_counter() - started
    started = time.perf_counter()
    _, passages = find_units(cleaned, load_gazetteer())
    out["units"] = time.perf_counter() - started
    for name, stage in (("tokens", passage_tokens), ("figures", extract_figures),
                        ("industries", extract_industries), ("assets", extract_assets)):
        stage(passages.head(3))
        started = time.perf_counter()
        stage(passages)
        out[name] = time.perf_counter() - started
    return {name: 1000 * seconds / n for name, seconds in out.items()}


def _median_ms(fn, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def model_neighbours(model, key: str, k: int = NEIGHBOURS_K) -> pd.DataFrame:
    """The k nearest keys of `key` straight from a fitted TF-IDF model (rows are L2-normalised)."""
    row = model.row(key)
    scores = (model.matrix @ model.matrix[row].T).toarray().ravel()
    scores[row] = -1.0
    k = min(k, len(scores) - 1)
    best = np.argpartition(-scores, k)[:k] if k < len(scores) else np.arange(len(scores))
    best = best[np.argsort(-scores[best])]
    return pd.DataFrame({"b": [model.keys[i] for i in best], "cosine": scores[best]})


def compare_units(tables: dict[str, pd.DataFrame], n: int = COMPARE_UNITS) -> list[str]:
    """The n comparable units with the most text (what a user picks on the Compare page)."""
    from analytics.corpus.corpus import COMPARABLE_KINDS

    units = tables["units"]
    units = units[units["kind"].isin(COMPARABLE_KINDS)]
    return units.sort_values("n_chars", ascending=False)["unit"].head(n).tolist()


def compare_page_calls(corpus, units: list[str], lang: str = "zh") -> int:
    """What the Compare page computes over all its tabs (analytics.views.compare) and its chart specs, on
    a corpus snapshot shared by every run as the dashboard shares it (its memo serves a rerun)."""
    from analytics.views.compare import compare_view

    comparison = compare_view(corpus, units, lang)
    views = [comparison.view(slug) for slug in ("key_figures", "industries", "domains", "themes", "terms")]
    return len(views) + sum(len(json.dumps(v.chart.to_dict())) > 0 for v in views if v.chart is not None)


def apptest_compare_ms(tables: dict[str, pd.DataFrame], units: list[str], repeat: int = 3) -> tuple[float, float]:
    """The Compare page through Streamlit's AppTest on these tables: (first run, median rerun) in ms."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from analytics.corpus import corpus as corpus_tables

    original, original_store = corpus_tables.load_corpus, os.environ.get(paths.STORE_ENV)
    # The app reads its store; serve these tables instead, and keep its store (seeded on first open)
    # out of the user's own store.
    corpus_tables.load_corpus = lambda *args, **kwargs: corpus_tables.Corpus(tables)
    os.environ[paths.STORE_ENV] = str(Path(tempfile.mkdtemp(prefix="countylens-bench-")) / "bench-app.sqlite")
    try:
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=300)
        at.query_params["units"] = ",".join(units)
        at.run()
        at.switch_page("app_pages/compare.py")
        started = time.perf_counter()
        at.run()
        first = 1000 * (time.perf_counter() - started)
        if at.exception or at.error or not any("cl-table" in h.proto.body for h in at.get("html")):
            raise RuntimeError(f"Compare page failed: {[e.value for e in [*at.exception, *at.error]]}")
        reruns = []
        for _ in range(repeat):
            started = time.perf_counter()
            at.run()
            reruns.append(1000 * (time.perf_counter() - started))
        return first, statistics.median(reruns)
    finally:
        corpus_tables.load_corpus = original
        if original_store is None:
            os.environ.pop(paths.STORE_ENV, None)
        else:
            os.environ[paths.STORE_ENV] = original_store
        st.cache_resource.clear()


def baseline_seconds(files: list[Path]) -> float:
    """The naive path, one process: jieba.lcut, TfidfVectorizer, dense cosine_similarity, top-k."""
    import jieba
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    jieba.setLogLevel(60)
    started = time.perf_counter()
    jieba.dt.initialized = False
    jieba.initialize()
    texts = [path.read_text(encoding="utf-8") for path in files]
    tokens = [jieba.lcut(text) for text in texts]
    matrix = TfidfVectorizer(analyzer=lambda words: words).fit_transform(tokens)
    square = cosine_similarity(matrix)
    np.fill_diagonal(square, -1.0)
    np.argsort(-square[0])[:NEIGHBOURS_K]
    return time.perf_counter() - started


def similarity_path_seconds(passages: pd.DataFrame, unit: str) -> float:
    """Ours, one process: segmenter start-up, passage tokens, TF-IDF, top-k pair similarity, neighbours."""
    from analytics.analysis import similarity
    from analytics.pipeline import tokens

    tokens.segmenter.cache_clear()
    started = time.perf_counter()
    table = tokens.passage_tokens(passages)
    model = similarity.fit_model(table, "unit")
    pairs = similarity.pair_similarity(model)
    similarity.neighbours(pairs, unit, NEIGHBOURS_K)
    return time.perf_counter() - started


def add_one_document(files: list[Path], extra: tuple[str, bytes], store_path: Path) -> dict:
    """Store the corpus (analytics.corpus.library.add_files), then time adding one more document and reloading."""
    from analytics.corpus import library as store_module

    out = {}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    store = store_module.open_store(store_path, seed=False)
    started = time.perf_counter()
    result = store_module.add_files(store, [(p.name, p.read_bytes()) for p in files], source="folder")
    out["store_fill_s"] = time.perf_counter() - started
    out["near_duplicates"] = len(result.near_duplicates)
    started = time.perf_counter()
    store_module.load_tables(store)
    out["store_load_s"] = time.perf_counter() - started
    started = time.perf_counter()
    added = store_module.add_files(store, [extra])
    out["add_files_s"] = time.perf_counter() - started
    started = time.perf_counter()
    tables = store_module.load_tables(store)
    out["reload_s"] = time.perf_counter() - started
    out["add_one_s"] = out["add_files_s"] + out["reload_s"]
    out["how"] = "store"
    if len(added.added) != 1 or extra[1] is None or len(tables["documents"]) != len(files) + 1:
        raise RuntimeError(f"adding one document to the store failed: {added}")
    return out


# ---------------------------------------------------------------- one size, the report, the command


def _load() -> tuple[float, float, float]:
    return os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3


def run_size(n: int, work: Path, pool: SeedPool, apptest: bool = True, log=print) -> dict:
    """Every measurement for a corpus of n documents generated under `work`."""
    from analytics.corpus.export import read_tables

    result: dict = {"n": n, "load_before": _load()[0]}
    corpus = work / f"N{n}" / "docs"
    out = work / f"N{n}" / "build"
    files = write_corpus(corpus, n, pool)
    result["mb"] = sum(p.stat().st_size for p in files) / 1e6
    log(f"[N={n}] corpus: {len(files)} documents, {result['mb']:.1f} MB in {corpus}")

    build = run_cli_build(corpus, out, force=True)
    result.update(build_s=build["wall_s"], peak_rss_mb=build["peak_rss_mb"], mb_per_s=result["mb"] / build["wall_s"])
    log(f"[N={n}] full build {build['wall_s']:.1f}s, peak RSS {build['peak_rss_mb']:.0f} MB: {build['stdout']}")
    rebuild = run_cli_build(corpus, out, force=False)
    for _ in range(2):  # code or data files edited meanwhile (a shared work tree) change the fingerprint
        if "unchanged" in rebuild["stdout"]:
            break
        log(f"[N={n}] the code or data changed during the build; building again before the rebuild")
        rebuild = run_cli_build(corpus, out, force=False)
    if "unchanged" not in rebuild["stdout"]:
        raise RuntimeError(f"the rebuild was not served from the cache: {rebuild['stdout']}")
    result["rebuild_s"] = rebuild["wall_s"]
    result["rebuild_inner_s"] = float(re.search(r"in ([\d.]+)s", rebuild["stdout"]).group(1))
    log(f"[N={n}] unchanged rebuild {rebuild['wall_s']:.2f}s ({result['rebuild_inner_s']:.2f}s inside build())")

    tables = read_tables(out)
    units = compare_units(tables)
    unit = units[0]
    similarity_table = tables["similarity"]
    result["neighbours_ms"] = _median_ms(lambda: neighbours_table(similarity_table, unit))
    from analytics.analysis.similarity import fit_model

    started = time.perf_counter()
    model = fit_model(tables["passage_tokens"], "unit")
    result["fit_model_s"] = time.perf_counter() - started
    result["neighbours_model_ms"] = _median_ms(lambda: model_neighbours(model, unit))
    log(f"[N={n}] neighbours {result['neighbours_ms']:.2f} ms (table), {result['neighbours_model_ms']:.2f} ms (model)")

    from analytics.corpus.corpus import Corpus

    corpus = Corpus(tables)
    started = time.perf_counter()
    compare_page_calls(corpus, units)
    result["compare_first_ms"] = 1000 * (time.perf_counter() - started)
    result["compare_ms"] = _median_ms(lambda: compare_page_calls(corpus, units), repeat=5)
    if apptest:
        result["apptest_first_ms"], result["apptest_ms"] = apptest_compare_ms(tables, units)
    log(f"[N={n}] compare rerun {result['compare_ms']:.0f} ms (analytics + chart specs)"
        + (f", AppTest {result['apptest_ms']:.0f} ms" if apptest else ""))

    result.update(add_one_document(files, extra_document(pool, n), work / f"N{n}" / "store.sqlite"))
    log(f"[N={n}] add one document {result['add_one_s']:.2f}s via {result['how']}")

    result["similarity_path_s"] = similarity_path_seconds(tables["passages"], unit)
    result["baseline_s"] = baseline_seconds(files)
    result["similarity_speedup"] = result["baseline_s"] / result["similarity_path_s"]
    result["build_speedup"] = result["baseline_s"] / result["build_s"]
    log(f"[N={n}] similarity path {result['similarity_path_s']:.2f}s vs baseline {result['baseline_s']:.2f}s")
    result["load_after"] = _load()[0]
    result["rows"] = {name: len(table) for name, table in tables.items()}
    return result


def neighbours_table(similarity_table: pd.DataFrame, unit: str) -> pd.DataFrame:
    from analytics.analysis.similarity import neighbours

    return neighbours(similarity_table, unit, NEIGHBOURS_K)


# (key, label, format): the rows of the table, in order.
ROWS = [
    ("mb", "corpus size (MB, UTF-8)", "{:.1f}"),
    ("build_s", "full build, `python -m analytics build --force` wall (s)", "{:.1f}"),
    ("mb_per_s", "full build throughput (MB/s)", "{:.2f}"),
    ("peak_rss_mb", "full build peak RSS incl. pool workers (MB)", "{:.0f}"),
    ("rebuild_s", "unchanged rebuild, CLI wall incl. interpreter start (s)", "{:.2f}"),
    ("rebuild_inner_s", "unchanged rebuild, inside `build()` (s)", "{:.2f}"),
    ("store_fill_s", "store: add_files of the whole corpus (s)", "{:.1f}"),
    ("add_files_s", "add one document: `library.add_files` (s)", "{:.2f}"),
    ("reload_s", "add one document: `library.load_tables` recompute (s)", "{:.2f}"),
    ("add_one_s", "add one document, total (s)", "{:.2f}"),
    ("neighbours_ms", "nearest neighbours, `similarity.neighbours` on the table (ms)", "{:.2f}"),
    ("fit_model_s", "fit the TF-IDF model, unit level (s)", "{:.2f}"),
    ("neighbours_model_ms", "nearest neighbours via the fitted model (ms)", "{:.2f}"),
    ("compare_first_ms", "Compare, 6 units: analytics + chart specs, first run (ms)", "{:.0f}"),
    ("compare_ms", "Compare, 6 units: analytics + chart specs, rerun (ms)", "{:.0f}"),
    ("apptest_ms", "Compare, 6 units: AppTest rerun of the page (ms)", "{:.0f}"),
    ("similarity_path_s", "similarity path, one process: tokens → TF-IDF → top-k → neighbours (s)", "{:.2f}"),
    ("baseline_s", "baseline, one process: jieba.lcut + TfidfVectorizer + dense cosine (s)", "{:.2f}"),
    ("similarity_speedup", "similarity path speed-up over the baseline (×)", "{:.1f}"),
    ("build_speedup", "baseline time / full build time (×)", "{:.2f}"),
    ("load_before", "1-min load average before / after", None),
]


def _cell(result: dict, key: str, fmt: str | None) -> str:
    if key == "load_before":
        return f"{result['load_before']:.2f} / {result['load_after']:.2f}"
    value = result.get(key)
    return "–" if value is None else fmt.format(value)


def _verdict(result: dict, key: str) -> str:
    if key not in TARGETS or key not in result:
        return ""
    limit, sense = TARGETS[key]
    met = result[key] <= limit if sense == "le" else result[key] >= limit
    sign = "≤" if sense == "le" else "≥"
    return f"{sign} {limit:g} {'met' if met else '**missed**'}"


def results_table(results: list[dict]) -> str:
    """The markdown table: one row per measurement, one column per N, targets judged on the largest N."""
    header = "| measurement | " + " | ".join(f"N = {r['n']:,}" for r in results) + " | target (largest N) |"
    lines = [header, "|---|" + "---:|" * len(results) + "---|"]
    for key, label, fmt in ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(r, key, fmt) for r in results)
                     + f" | {_verdict(results[-1], key) if results else ''} |")
    return "\n".join(lines)


def machine() -> dict:
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gb": psutil.virtual_memory().total / 2**30, "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform()}


def report(results: list[dict], startup: dict[str, float], stages: dict[str, float], command: str) -> str:
    info = machine()
    lines = [
        "# Benchmarks",
        "",
        f"Reproduce: `{command}` (the corpus is generated under `benchmarks/corpus/`, git-ignored).",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']:.1f} GB memory, Python "
        f"{info['python']}, {info['platform']}. Other work shared the machine: the load averages are in the table.",
        "",
        results_table(results),
        "",
        "The corpus: each document speaks for a different county-level division of the gazetteer, built from "
        "the seeds' clean sentences with the seed place names replaced by the county's, its prefecture's and its "
        "province's, and every number varied; one document in five is in Traditional script.",
        "",
        "## Start-up of a fresh process (each pool worker pays it once)",
        "",
        "| step | seconds |",
        "|---|---:|",
        *[f"| {name} | {seconds:.3f} |" for name, seconds in startup.items()],
        "",
        f"## Per-document stage cost (one process, warm caches, first {stages.pop('_n', 0):.0f} documents)",
        "",
        "| stage | ms per document |",
        "|---|---:|",
        *[f"| {name} | {ms:.1f} |" for name, ms in stages.items()],
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/bench.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000], metavar="N")
    parser.add_argument("--work", type=Path, default=CORPUS_ROOT, metavar="DIR",
                        help="where corpora, builds and stores are generated (default benchmarks/corpus/)")
    parser.add_argument("--markdown", type=Path, default=None, metavar="FILE",
                        help="also write the report there (e.g. BENCHMARKS.md)")
    parser.add_argument("--no-apptest", action="store_true", help="skip the Compare page through AppTest")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and builds")
    args = parser.parse_args(argv)
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    args.work.mkdir(parents=True, exist_ok=True)
    pool = seed_pool()
    startup = startup_costs()
    results = []
    for n in sorted(args.sizes):
        results.append(run_size(n, args.work, pool, apptest=not args.no_apptest, log=log))
    largest = args.work / f"N{max(args.sizes)}" / "docs"
    files = sorted(largest.glob("*.txt"))
    stages = stage_costs(files)
    stages["_n"] = min(len(files), 200)
    command = "python benchmarks/bench.py --sizes " + " ".join(map(str, sorted(args.sizes)))
    if args.markdown:
        command += f" --markdown {args.markdown}"
    text = report(results, startup, stages, command)
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    (args.work / "results.json").write_text(json.dumps(results, indent=2, default=float), encoding="utf-8")
    if not args.keep:
        for n in args.sizes:
            shutil.rmtree(args.work / f"N{n}", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
