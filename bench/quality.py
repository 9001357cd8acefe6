"""Quality benchmark: claimx against the tools a user would pick instead, on one model and one gold set.

Systems (all on the same OpenAI-compatible endpoint and model, all scored by `claimx.evaluation.scorer.score`):

* ``claimx-sentences`` / ``claimx-whole``: claimx with each strategy (`claimx.evaluation.runner.run`);
* ``instructor``: one instructor call per article, a flat schema of the design-card fields
  (claimant, target, method, outcome, source) plus a quote; no grounding, no re-ask;
* ``langextract``: Google's LangExtract through its OpenAI provider, with a prompt equivalent to
  claimx's and one invented example (needs ``pip install langextract``: see bench/README.md).

Every system's output is converted to the gold format; with ``--out DIR`` each system's predictions
are saved as gold-format JSONL (``DIR/<system>.jsonl``, readable by ``claimx eval --predictions``)
and ``--rescore DIR`` prints the table again without calling a model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import platform
import shlex
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, Field
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimx.evaluation.gold import GoldArticle, GoldClaim, load_gold
from claimx.evaluation.runner import load_predictions
from claimx.evaluation.scorer import ArticleStats, Scorecard, score
from claimx.extraction.local import MODEL_NAME
from claimx.result import ClaimantKind, Result, Stance

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = ("claimx-sentences", "claimx-whole", "instructor", "langextract")
DEFAULT_BASE_URL = "http://127.0.0.1:8734/v1"
TEMPERATURE = 0.0  # claimx's default, used for every system
MAX_TOKENS = 2048  # claimx's default completion limit, used for every system
WORKERS = 4  # calls in flight within one article: claimx's default concurrency = the local server's slots
DASH = "\u2013"
ERROR_CHARS = 1500  # instructor errors quote the whole failed answer

err = Console(stderr=True, highlight=False, soft_wrap=True)
E = TypeVar("E", ClaimantKind, Stance)


# --------------------------------------------------------------------------- running one system


@dataclass
class ArticleRun:
    """What one system spent on one article, filled in as it goes (thread-safe)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    notes: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, calls: int = 0, prompt_tokens: int = 0, completion_tokens: int = 0) -> None:
        with self._lock:
            self.calls += calls
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens


class System(Protocol):
    """One competitor: extracts one gold article into gold-format claims, recording its cost in ``run``.

    Raising means the article failed: it is scored as no predictions, with what ``run`` recorded.
    """

    name: str

    def extract(self, gold: GoldArticle, run: ArticleRun) -> list[GoldClaim]: ...


@dataclass
class Endpoint:
    base_url: str
    model: str
    api_key: str | None

    @property
    def key(self) -> str:
        """The key to send: the one given, else OPENAI_API_KEY, else a placeholder (local servers ignore it)."""
        return self.api_key or os.environ.get("OPENAI_API_KEY") or "no-key"


def run_article(system: System, gold: GoldArticle, out: Path, place: str) -> None:
    """Extract one article with one system and append its line to ``out/<system>.jsonl`` as soon as it is
    done; a failure is saved as no predictions with its error, and the run goes on."""
    run = ArticleRun()
    clock = time.monotonic()
    error: str | None = None
    try:
        claims = system.extract(gold, run)
    except Exception as exc:
        claims, error = [], " ".join(f"{type(exc).__name__}: {exc}".split())[:ERROR_CHARS]
    seconds = time.monotonic() - clock
    stats = ArticleStats(
        llm_calls=run.calls,
        prompt_tokens=run.prompt_tokens,
        completion_tokens=run.completion_tokens,
        seconds=round(seconds, 3),
    )
    status = f"[red]FAILED[/red] {escape(error)}" if error else f"{len(claims)} claims"
    err.print(
        f"{escape(f'[{system.name}]')} {place} {gold.id}: {status} "
        f"({run.calls} calls, {run.prompt_tokens}+{run.completion_tokens} tokens, {seconds:.1f} s)"
    )
    for note in run.notes:
        err.print(f"    note: {escape(note)}")
    row = {
        "id": gold.id,
        "claims": [c.model_dump(mode="json", exclude_unset=True) for c in claims],
        "stats": stats.model_dump(),
        "error": error,
        "notes": run.notes,
    }
    with (out / f"{system.name}.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- value helpers


def _text(value: Any) -> str | None:
    """A model's string field: blank, "null" and "none" mean no value; a list is joined."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v is not None)
    if value is None:
        return None
    text = str(value).strip()
    return None if text.lower() in {"", "null", "none", "n/a"} else text


def _strings(value: Any) -> list[str]:
    """A model's list field: a string becomes a one-item list; blanks are dropped."""
    items = value if isinstance(value, list) else [value]
    return [t for t in (_text(v) for v in items) if t is not None]


def _enum_value(kind: type[E], value: Any, run: ArticleRun, what: str) -> E | None:
    """A valid enum value, else None ("not output"): an invalid value is noted, not scored as wrong."""
    text = _text(value)
    if text is None:
        return None
    try:
        return kind(text.lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        run.notes.append(f"invalid {what} {text!r} left out (scored as not output)")
        return None


# --------------------------------------------------------------------------- claimx


class ClaimxSystem:
    """claimx itself, through `claimx.evaluation.runner.run` (the same path as `claimx eval`)."""

    def __init__(self, endpoint: Endpoint, strategy: str, out: Path) -> None:
        from claimx.settings import settings_from

        self.name = f"claimx-{strategy}"
        self.settings = settings_from(
            base_url=endpoint.base_url, model=endpoint.model, api_key=endpoint.api_key, strategy=strategy
        )
        self.raw = out / f"{self.name}.results.jsonl"

    def extract(self, gold: GoldArticle, run: ArticleRun) -> list[GoldClaim]:
        from claimx.evaluation.runner import run as claimx_run

        failures: list[str] = []
        warned: Counter[str] = Counter()

        def on_article(_gold: GoldArticle, result: Result | None, error: str | None) -> None:
            if error:
                failures.append(error)
            if result is not None:
                warned.update(w.code for w in result.warnings)

        predictions, stats = claimx_run([gold], self.settings, save=self.raw, on_article=on_article)
        if gold.id in stats:
            s = stats[gold.id]
            run.add(s.llm_calls, s.prompt_tokens, s.completion_tokens)
        if gold.id not in predictions:
            raise RuntimeError(failures[0] if failures else "claimx returned no result")
        run.notes.extend(f"partial result kept after: {f}" for f in failures)
        if warned:
            run.notes.append("claimx warnings: " + ", ".join(f"{n} {code}" for code, n in sorted(warned.items())))
        return predictions[gold.id]


# --------------------------------------------------------------------------- instructor baseline

INSTRUCTOR_PROMPT = (
    "Extract the claims in this news article: statements that a source (a person, official, group, "
    "outlet or journalist) makes about an attack or violent event, e.g. with said, claimed, reported, "
    "denied or according to. For each claim give: claimant (who makes the claim), target (what was "
    "attacked or affected), method (weapon or means), outcome (the result as stated), source (the "
    "outlet or person that relayed the claim to the article, if any, else null) and quote (the words "
    "of the article that state the claim, copied exactly)."
)


class FlatClaim(BaseModel):
    """The design card's fields, flat, plus the supporting quote."""

    claimant: str = Field(description="Who makes the claim.")
    target: str | None = Field(description="What was attacked or affected.")
    method: str | None = Field(description="Weapon or means.")
    outcome: str | None = Field(description="The result, as the claimant states it.")
    source: str | None = Field(description="Who relayed the claim to the article, if anyone.")
    quote: str = Field(description="The article's words that state the claim, copied exactly.")


class FlatClaims(BaseModel):
    claims: list[FlatClaim]


class InstructorSystem:
    """What a user writes in ten minutes with instructor: one call, a flat schema, no grounding, no re-ask."""

    name = "instructor"

    def __init__(self, endpoint: Endpoint) -> None:
        import instructor
        import openai

        self.model = endpoint.model
        self.client = instructor.from_openai(
            openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.key), mode=instructor.Mode.JSON_SCHEMA
        )

    def extract(self, gold: GoldArticle, run: ArticleRun) -> list[GoldClaim]:
        header = f"Publisher: {gold.publisher or 'unknown'}. Publication date: {gold.published or 'unknown'}."
        run.add(calls=1)
        try:
            answer, completion = self.client.chat.completions.create_with_completion(
                model=self.model,
                response_model=FlatClaims,
                max_retries=0,
                temperature=TEMPERATURE,
                max_tokens=MAX_TOKENS,
                messages=[
                    {"role": "system", "content": INSTRUCTOR_PROMPT},
                    {"role": "user", "content": f"{header}\n\n{gold.text}"},
                ],
            )
        except Exception as exc:
            _add_usage(run, getattr(getattr(exc, "last_completion", None), "usage", None))
            raise
        _add_usage(run, completion.usage)
        return [
            GoldClaim(
                claimant=c.claimant,
                via=[s] if (s := _text(c.source)) else [],
                target=_text(c.target),
                method=_strings(c.method),
                outcome=_text(c.outcome),
                evidence=[c.quote],
            )
            for c in answer.claims
        ]


def _add_usage(run: ArticleRun, usage: Any) -> None:
    if usage is not None:
        run.add(prompt_tokens=usage.prompt_tokens or 0, completion_tokens=usage.completion_tokens or 0)


# --------------------------------------------------------------------------- LangExtract

LANGEXTRACT_PROMPT = """\
Extract attributed claims from this news article, in reading order, for analysts who code conflict events.

A claim is something a SOURCE says: a person, official, group, outlet or journalist that asserts, reports, \
claims responsibility for, denies, alleges or threatens an attack or event. A claim needs an attribution cue \
in the text: said, told, claimed, announced, confirmed, reported, revealed, denied, warned, according to, or a \
quotation. A sentence in the article's own voice, with no source, is NOT a claim: extract nothing for it. \
Never turn a claim into a fact: "X says it hit the depot" means only that X says so.

Use the extraction class "claim". The extraction text is the exact words of the article that state the claim, \
copied character for character (the whole sentence is best); do not paraphrase. Attributes, filled only from \
those words:
- claimant: the original speaker, as named in the text (e.g. "a police spokesman"), not the outlet that passes it on.
- claimant_kind: named_person, anonymous_official, official_body, armed_group, journalist, news_outlet, \
organization or unknown.
- via: list of who relayed the claim between the article and the claimant, outermost first ("a police official \
told Reuters" gives ["Reuters"]); empty when the claimant speaks directly.
- actor: who carried out the act according to the claimant; the claimant itself for claimed_responsibility; \
null if not said.
- target: what was attacked or affected. method: list of weapons or means, e.g. ["mortars"]. outcome: the \
result only if the words state it (e.g. "two soldiers wounded"), else null.
- stance: asserted (says it happened), claimed_responsibility (says it did it itself), reported (a journalist \
reports it), denied, alleged (accuses another), threatened (future intent).
"""

# Invented for the benchmark (not from any gold set): one example covering a relayed claim of
# responsibility, a denial and an outlet's report.
LANGEXTRACT_EXAMPLE_TEXT = (
    "A spokesman for the Northern Front told Radio Kessa that its fighters shelled an army checkpoint near "
    "Dara with mortars on Tuesday, killing three soldiers. The defence ministry denied that any soldier was "
    "killed, while the state news agency reported that the checkpoint was hit by two rounds."
)
LANGEXTRACT_EXAMPLE_CLAIMS: list[tuple[str, dict[str, Any]]] = [
    (
        (
            "A spokesman for the Northern Front told Radio Kessa that its fighters shelled an army checkpoint "
            "near Dara with mortars on Tuesday, killing three soldiers."
        ),
        {
            "claimant": "a spokesman for the Northern Front",
            "claimant_kind": "armed_group",
            "via": ["Radio Kessa"],
            "actor": "the Northern Front",
            "target": "an army checkpoint near Dara",
            "method": ["mortars"],
            "outcome": "killing three soldiers",
            "stance": "claimed_responsibility",
        },
    ),
    (
        "The defence ministry denied that any soldier was killed",
        {
            "claimant": "the defence ministry",
            "claimant_kind": "official_body",
            "via": [],
            "actor": None,
            "target": None,
            "method": [],
            "outcome": None,
            "stance": "denied",
        },
    ),
    (
        "the state news agency reported that the checkpoint was hit by two rounds",
        {
            "claimant": "the state news agency",
            "claimant_kind": "news_outlet",
            "via": [],
            "actor": None,
            "target": "the checkpoint",
            "method": [],
            "outcome": "hit by two rounds",
            "stance": "reported",
        },
    ),
]


class LangExtractSystem:
    """LangExtract's OpenAI provider on the same endpoint, metered (LangExtract itself drops `usage`)."""

    name = "langextract"

    def __init__(self, endpoint: Endpoint, *, schema: bool, max_char_buffer: int) -> None:
        try:
            import langextract as lx
            from langextract.providers.openai import OpenAILanguageModel
            from langextract.providers.schemas.openai import OpenAISchema
        except ImportError as exc:
            raise SystemExit(
                f"langextract is not installed ({exc}); run from the benchmark's venv (see bench/README.md) "
                "or leave it out with --systems"
            ) from exc
        self.lx = lx
        self.max_char_buffer = max_char_buffer
        self.examples = [
            lx.data.ExampleData(
                text=LANGEXTRACT_EXAMPLE_TEXT,
                extractions=[
                    lx.data.Extraction(extraction_class="claim", extraction_text=text, attributes=attrs)
                    for text, attrs in LANGEXTRACT_EXAMPLE_CLAIMS
                ],
            )
        ]
        self.current: ArticleRun | None = None
        system = self

        class MeteredOpenAI(OpenAILanguageModel):  # type: ignore[misc]
            """The stock provider, counting calls and the usage each response reports."""

            def _process_single_prompt(self, prompt: str, config: dict[str, Any]) -> Any:
                if system.current is not None:
                    system.current.add(calls=1)
                return super()._process_single_prompt(prompt, config)

            def _response_to_scored_output(self, response: Any) -> Any:  # type: ignore[override]  # static upstream
                if system.current is not None:
                    _add_usage(system.current, getattr(response, "usage", None))
                return OpenAILanguageModel._response_to_scored_output(response)

        # What lx.extract(config=ModelConfig(provider="OpenAILanguageModel", ...)) builds, with the metered
        # class: model_id routing alone would send "qwen…" ids to the Ollama provider.
        self.model = MeteredOpenAI(
            model_id=endpoint.model,
            api_key=endpoint.key,
            base_url=endpoint.base_url,
            temperature=TEMPERATURE,
            max_workers=WORKERS,
            max_output_tokens=MAX_TOKENS,
        )
        self.model.apply_schema(OpenAISchema.from_examples(self.examples) if schema else None)
        self.model.set_fence_output(False)

    def extract(self, gold: GoldArticle, run: ArticleRun) -> list[GoldClaim]:
        self.current = run
        try:
            with _langextract_notes(run):
                document = self.lx.extract(
                    text_or_documents=gold.text,
                    prompt_description=LANGEXTRACT_PROMPT,
                    examples=self.examples,
                    model=self.model,
                    fence_output=False,
                    use_schema_constraints=False,
                    additional_context=f"Publisher: {gold.publisher or 'unknown'}. "
                    f"Publication date: {gold.published or 'unknown'}.",
                    max_char_buffer=self.max_char_buffer,
                    batch_length=max(WORKERS, 10),
                    max_workers=WORKERS,
                    show_progress=False,
                )
        finally:
            self.current = None
        claims = []
        for extraction in document.extractions or []:
            if extraction.extraction_class != "claim":
                run.notes.append(f"extraction of class {extraction.extraction_class!r} ignored")
                continue
            attributes = extraction.attributes or {}
            claims.append(
                GoldClaim(
                    claimant=_text(attributes.get("claimant")) or "",
                    claimant_kind=_enum_value(ClaimantKind, attributes.get("claimant_kind"), run, "claimant_kind"),
                    via=_strings(attributes["via"]) if "via" in attributes else None,
                    actor=_text(attributes.get("actor")),
                    target=_text(attributes.get("target")),
                    method=_strings(attributes.get("method")),
                    outcome=_text(attributes.get("outcome")),
                    stance=_enum_value(Stance, attributes.get("stance"), run, "stance"),
                    evidence=[extraction.extraction_text],
                )
            )
        return claims


@contextmanager
def _langextract_notes(run: ArticleRun) -> Iterator[None]:
    """Turn LangExtract's logged warnings (it logs through absl, e.g. "Chunk omitted from results (parse
    error)" when it drops a chunk whose output did not parse) into the article's notes, and silence its
    Python warnings (about parameters this benchmark sets on purpose)."""
    handler = _NoteHandler(run)
    loggers = [logging.getLogger(name) for name in ("absl", "langextract")]
    propagate = [logger.propagate for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, saved in zip(loggers, propagate, strict=True):
            logger.removeHandler(handler)
            logger.propagate = saved


class _NoteHandler(logging.Handler):
    def __init__(self, run: ArticleRun) -> None:
        super().__init__(level=logging.WARNING)
        self.run = run

    def emit(self, record: logging.LogRecord) -> None:
        self.run.notes.append(f"langextract {record.levelname.lower()}: {record.getMessage()[:300]}")


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    """Where the figures come from: CPU, OS, Python and the versions of every package involved."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for package in ("claimx", "instructor", "openai", "langextract"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
    }


def _rate(value: float | None) -> str:
    return DASH if value is None else f"{value:.2f}"


def rows(reports: dict[str, Scorecard], failures: dict[str, int]) -> list[list[str]]:
    """One row per system: quality pooled over all articles, cost as a mean per article."""
    table = []
    for name, report in reports.items():
        m, cost = report.total.metrics, report.total.stats
        table.append(
            [
                name,
                f"{m.matched}/{m.predicted}/{m.gold}",
                _rate(m.precision),
                _rate(m.recall),
                _rate(m.f1),
                _rate(m.claimant_accuracy),
                _rate(m.target_f1),
                _rate(m.outcome_f1),
                _rate(m.grounding_rate),
                str(failures.get(name, 0)),
                *(
                    [DASH] * 4
                    if cost is None
                    else [
                        f"{cost.mean_llm_calls:.1f}",
                        f"{cost.mean_prompt_tokens:,.0f}",
                        f"{cost.mean_completion_tokens:,.0f}",
                        f"{cost.mean_seconds:.1f}",
                    ]
                ),
            ]
        )
    return table


COLUMNS = (
    "system",
    "m/p/g",
    "P",
    "R",
    "F1",
    "claimant acc",
    "target F1",
    "outcome F1",
    "grounding",
    "failed",
    "calls/art",
    "tokens in/art",
    "tokens out/art",
    "s/art",
)


def problems(name: str, errors: dict[str, str], notes: dict[str, list[str]]) -> list[str]:
    """One line per failed article and per note, for the summary under the table."""
    lines = [f"{name} {article}: FAILED {error[:300]}" for article, error in errors.items()]
    return lines + [f"{name} {article}: {note}" for article, found in notes.items() for note in found]


def print_report(header: dict[str, Any], table: list[list[str]], markdown: bool, issues: list[str]) -> None:
    out = Console(highlight=False, width=200)
    m = header["machine"]
    lines = [
        f"command: {header['command']}",
        f"date: {header['date']}",
        f"machine: {m['cpu_count']} CPUs, {m['cpu']}; {m['platform']}; Python {m['python']}",
        "packages: " + ", ".join(f"{k} {v or 'not installed'}" for k, v in m["packages"].items()),
        f"endpoint: {header['base_url']}  model: {header['model']}",
        f"gold: {header['gold']} ({header['articles']} article{'' if header['articles'] == 1 else 's'})",
        *(
            f"resumed: {r['date']} on {r['machine']['cpu_count']} CPUs, {r['machine']['cpu']}; {r['command']}"
            for r in header.get("resumed", [])
        ),
    ]
    legend = (
        "m/p/g = matched/predicted/gold claims, pooled; failed = articles that raised (scored as no "
        f"predictions); cost columns are means per article; {DASH} = undefined"
    )
    if markdown:
        print("\n".join(f"- {line}" for line in lines) + "\n")
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|")
        for row in table:
            print("| " + " | ".join(row) + " |")
        print(f"\n{legend}")
    else:
        for line in lines:
            out.print(line)
        rich_table = Table(title="claimx quality benchmark", caption=legend)
        for i, name in enumerate(COLUMNS):
            rich_table.add_column(name, justify="left" if i == 0 else "right")
        for row in table:
            rich_table.add_row(*row)
        out.print(rich_table)
    if issues:
        print(f"\nfailures and notes ({len(issues)}):")
        for issue in issues:
            print(f"  {issue}")


# --------------------------------------------------------------------------- main


def select(
    golds: list[GoldArticle], ids: Iterable[str] | None, limit: int | None, language: str | None = None
) -> list[GoldArticle]:
    if ids:
        wanted = list(ids)
        by_id = {g.id: g for g in golds}
        if missing := [i for i in wanted if i not in by_id]:
            raise SystemExit(f"unknown article ids: {', '.join(missing)}")
        golds = [by_id[i] for i in wanted]
    golds = [g for g in golds if language is None or g.language == language]
    if language is not None and not golds:
        raise SystemExit(f"no gold article of these is annotated in language {language!r}")
    return golds[:limit] if limit is not None else golds


def fingerprint() -> str:
    """sha256 over what decides the systems' outputs (claimx's code, its prompts, this script): a run is
    resumed only with the same code, so its figures stay one run's."""
    digest = hashlib.sha256()
    files = sorted([*ROOT.glob("claimx/**/*.py"), *ROOT.glob("claimx/**/*.md"), Path(__file__).resolve()])
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(directory: Path) -> dict[str, Any]:
    manifest = directory / "run.json"
    if not manifest.is_file():
        raise SystemExit(f"{manifest} is missing: --rescore and --resume need a directory written by --out")
    return json.loads(manifest.read_text(encoding="utf-8"))


def saved_rows(directory: Path, name: str) -> list[dict[str, Any]]:
    path = directory / f"{name}.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def keep_first_lines(path: Path, wanted: Callable[[str], bool]) -> set[str]:
    """Rewrite a JSONL file of articles with only the first complete line of each article ``wanted`` accepts,
    and return their ids. On resume this drops what an interruption leaves behind: a half-written last
    line, and claimx's full result for an article whose scored line was never written (the resumed run
    writes both again)."""
    if not path.is_file():
        return set()
    kept: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        try:
            article = json.loads(line)["id"]
        except (ValueError, KeyError, TypeError):
            continue
        if wanted(article) and article not in kept:
            kept[article] = line if line.endswith("\n") else line + "\n"
    staged = path.with_suffix(".tmp")
    staged.write_text("".join(kept.values()), encoding="utf-8")
    staged.replace(path)
    return set(kept)


def score_saved(
    directory: Path, golds: Sequence[GoldArticle], systems: Sequence[str]
) -> tuple[dict[str, Scorecard], dict[str, int], list[str]]:
    """Score each system's saved predictions (an article missing from a system's file, e.g. after a crash,
    counts as no predictions and is listed)."""
    reports: dict[str, Scorecard] = {}
    failures: dict[str, int] = {}
    issues: list[str] = []
    for name in systems:
        path = directory / f"{name}.jsonl"
        predictions, stats = load_predictions(path) if path.is_file() else ({}, {})
        ids = {g.id for g in golds}
        predictions = {k: v for k, v in predictions.items() if k in ids}
        stats = {k: v for k, v in stats.items() if k in ids}
        reports[name] = score(list(golds), predictions, stats)
        rows_ = [row for row in saved_rows(directory, name) if row["id"] in ids]
        errors = {row["id"]: row["error"] for row in rows_ if row.get("error")}
        failures[name] = len(errors)
        issues += problems(name, errors, {row["id"]: row["notes"] for row in rows_ if row.get("notes")})
        if missing := [g.id for g in golds if g.id not in stats]:
            issues.append(f"{name}: no saved line for {', '.join(missing)} (scored as no predictions)")
    return reports, failures, issues


def rescore(
    directory: Path, gold_path: Path, systems: Sequence[str], finished: bool, language: str | None = None
) -> tuple[dict[str, Any], dict[str, Scorecard], dict[str, int], list[str]]:
    """Score the predictions a run saved with ``--out``, on the articles and systems its run.json names (with
    ``language``, those of them in that language); with ``finished``, only on the articles that every one of
    those systems has saved (a run in progress)."""
    header = read_manifest(directory)
    names = [s for s in header["systems"] if s in systems]
    golds = select(load_gold(gold_path), header["ids"], None, language)
    if finished:
        saved = [{row["id"] for row in saved_rows(directory, name)} for name in names]
        golds = [g for g in golds if all(g.id in ids for ids in saved)]
    reports, failures, issues = score_saved(directory, golds, names)
    header["command"] += f"  (rescored by: {shlex.join([sys.executable, *sys.argv])})"
    header["gold"] = str(gold_path) + (f" [language {language}]" if language else "")
    header["articles"] = len(golds)
    if finished:
        header["gold"] += f" [run in progress: {len(golds)} of {len(header['ids'])} articles done by every system]"
        header["articles"] = len(golds)
    return header, reports, failures, issues


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "gold",
        nargs="?",
        type=Path,
        default=ROOT / "eval/dev/dev.jsonl",
        help="gold JSONL file (default: eval/dev/dev.jsonl)",
    )
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help=f"OpenAI-compatible endpoint ({DEFAULT_BASE_URL})")
    parser.add_argument("--model", default=MODEL_NAME, help=f"model name at the endpoint ({MODEL_NAME})")
    parser.add_argument("--api-key", help="endpoint key (default: OPENAI_API_KEY, else none)")
    parser.add_argument(
        "--systems",
        nargs="+",
        choices=SYSTEMS,
        default=list(SYSTEMS),
        metavar="SYSTEM",
        help=f"systems to run, any of: {', '.join(SYSTEMS)} (default: all)",
    )
    parser.add_argument("--ids", nargs="+", metavar="ID", help="only these gold articles, in this order")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N articles (after --ids)")
    parser.add_argument(
        "--language",
        metavar="CODE",
        help="only the gold articles annotated in this language (ISO 639-1, their `language` field); with "
        "--rescore, the scores of a saved run on those articles",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="save each system's predictions as DIR/<system>.jsonl (gold format), line by line as "
        "articles finish, and the reports; DIR must not hold a run already",
    )
    where.add_argument(
        "--resume",
        type=Path,
        metavar="DIR",
        help="finish an interrupted --out run: same articles, systems, endpoint and options (from "
        "DIR/run.json), only the articles not saved yet; refused if claimx, its prompts, this "
        "script or the gold file changed since",
    )
    where.add_argument(
        "--rescore", type=Path, metavar="DIR", help="score the predictions saved in DIR by --out; no model calls"
    )
    parser.add_argument(
        "--finished",
        action="store_true",
        help="with --rescore: only the articles every system has saved (a run still in progress)",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table (for docs/benchmarks.md)")
    parser.add_argument(
        "--lx-no-schema",
        action="store_true",
        help="LangExtract without its JSON-schema constraint (use_schema_constraints=False)",
    )
    parser.add_argument(
        "--lx-max-char-buffer", type=int, default=1000, help="LangExtract chunk size in characters (its default: 1000)"
    )
    return parser.parse_args(argv)


def _relative(path: Path) -> str:
    """``path`` relative to the checkout when it lies inside (so a run resumes in another clone), else absolute."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(resolved)


def start(args: argparse.Namespace, command: str) -> tuple[dict[str, Any], list[GoldArticle]]:
    """The run's manifest and articles: a new one from the arguments, or the one a --resume directory holds."""
    if args.resume is not None:
        header = read_manifest(args.resume)
        gold_path = ROOT / header["gold"]  # kept relative to the checkout when inside it
        if header.get("fingerprint") != fingerprint():
            raise SystemExit(
                "claimx, its prompts or bench/quality.py changed since this run started: its figures "
                "would mix two versions; start a new run with --out"
            )
        if not gold_path.is_file() or file_sha256(gold_path) != header.get("gold_sha256"):
            raise SystemExit(f"the gold file {gold_path} is missing or changed since this run started")
        header.setdefault("resumed", []).append(
            {"command": command, "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
        )
        args.out = args.resume
        args.lx_no_schema = not header["langextract"]["schema_constraints"]
        args.lx_max_char_buffer = header["langextract"]["max_char_buffer"]
        return header, select(load_gold(gold_path), header["ids"], None)
    golds = select(load_gold(args.gold), args.ids, args.limit, args.language)
    header = {
        "command": command,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "base_url": args.base_url,
        "model": args.model,
        "gold": _relative(args.gold),
        "gold_sha256": file_sha256(args.gold),
        "articles": len(golds),
        "ids": [g.id for g in golds],
        "systems": list(dict.fromkeys(args.systems)),
        "fingerprint": fingerprint(),
        "langextract": {"schema_constraints": not args.lx_no_schema, "max_char_buffer": args.lx_max_char_buffer},
    }
    if args.out is not None and (args.out / "run.json").exists():
        raise SystemExit(f"{args.out} holds a run already: finish it with --resume {args.out}, or pick another DIR")
    return header, golds


def benchmark(
    args: argparse.Namespace, command: str
) -> tuple[dict[str, Any], dict[str, Scorecard], dict[str, int], list[str]]:
    """Run every chosen system over the chosen articles and score each with the same scorer. Without
    ``--out`` the lines go to a temporary directory, so every table is scored from saved lines."""
    header, golds = start(args, command)
    if args.out is None:
        with tempfile.TemporaryDirectory(prefix="claimx-bench-") as scratch:
            return run_systems(args, header, golds, Path(scratch))
    return run_systems(args, header, golds, args.out)


def run_systems(
    args: argparse.Namespace, header: dict[str, Any], golds: list[GoldArticle], out: Path
) -> tuple[dict[str, Any], dict[str, Scorecard], dict[str, int], list[str]]:
    endpoint = Endpoint(header["base_url"], header["model"], args.api_key)
    out.mkdir(parents=True, exist_ok=True)
    (out / "run.json").write_text(json.dumps(header, indent=2) + "\n", encoding="utf-8")
    factories: dict[str, Callable[[], System]] = {
        "claimx-sentences": lambda: ClaimxSystem(endpoint, "sentences", out),
        "claimx-whole": lambda: ClaimxSystem(endpoint, "whole", out),
        "instructor": lambda: InstructorSystem(endpoint),
        "langextract": lambda: LangExtractSystem(
            endpoint, schema=not args.lx_no_schema, max_char_buffer=args.lx_max_char_buffer
        ),
    }
    built = {name: factories[name]() for name in header["systems"]}  # fail on a missing package before any call
    done: dict[str, set[str]] = {name: set() for name in built}
    if args.resume is not None:
        ids = set(header["ids"])
        for name, system in built.items():
            done[name] = keep_first_lines(out / f"{name}.jsonl", ids.__contains__)
            if isinstance(system, ClaimxSystem):
                keep_first_lines(system.raw, done[name].__contains__)
            if done[name]:
                err.print(escape(f"[{name}] {len(done[name])} of {len(golds)} articles already saved, kept"))
    # Article by article, every system in turn: an interrupted run still compares all systems on the
    # articles it finished (--rescore scores them; --resume finishes the rest).
    for n, gold in enumerate(golds, 1):
        for name, system in built.items():
            if gold.id not in done[name]:
                run_article(system, gold, out, f"{n}/{len(golds)}")
    reports, failures, issues = score_saved(out, golds, header["systems"])
    for name, report in reports.items():
        (out / f"{name}.report.json").write_text(report.model_dump_json(indent=1), encoding="utf-8")
    return header, reports, failures, issues


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.rescore is not None:
        header, reports, failures, issues = rescore(args.rescore, args.gold, args.systems, args.finished, args.language)
    else:
        command = shlex.join([sys.executable, *(sys.argv if argv is None else ["bench/quality.py", *argv])])
        header, reports, failures, issues = benchmark(args, command)
    print_report(header, rows(reports, failures), args.markdown, issues)


if __name__ == "__main__":
    main()
