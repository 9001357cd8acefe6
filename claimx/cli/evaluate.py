"""`claimx eval`: score claimx against a gold file, calling a model or re-scoring saved predictions."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from claimx import errors
from claimx.cli.options import CONTEXT, calls_option, endpoint_options, language_options, length_options, verbose_option
from claimx.cli.render import err, transient_progress
from claimx.evaluation import runner
from claimx.evaluation.gold import GoldArticle, GoldClaim, load_gold
from claimx.evaluation.linking import as_stored, load_corpus_gold, score_corpus
from claimx.evaluation.scorer import SCOPES, ArticleStats, Scope, assignment, render_table, score
from claimx.extraction.identity import endpoint
from claimx.result import Result
from claimx.settings import settings_from
from claimx.store import StoredClaim, open_store


def _predicted(
    articles: list[GoldArticle], predictions: Path | None, db: Path | None
) -> dict[str, list[StoredClaim]] | None:
    """The claims to link: none given (the gold's own), saved predictions, or a store's latest claims."""
    if db is not None:
        with open_store(db, create=False) as store:
            claims = store.claims()
        return {a.id: [c for c in claims if c.article_id == a.id] for a in articles}
    return as_stored(articles, runner.load_predictions(predictions)[0]) if predictions is not None else None


def _stored(golds: list[GoldArticle], db: Path) -> tuple[dict[str, list[GoldClaim]], dict[str, ArticleStats]]:
    """The latest result a store holds for each gold article, as predictions: what `claimx batch GOLD --db DB`
    gave users. An article without a finished run predicted nothing; a store with none of them is an error."""
    predicted: dict[str, list[GoldClaim]] = {}
    stats: dict[str, ArticleStats] = {}
    with open_store(db, create=False) as store:
        for article in golds:
            try:
                result = store.result(article.id)
            except errors.StoreError:
                continue
            predicted[article.id], stats[article.id] = runner.to_gold_claims(result), runner.stats_of(result)
    if not predicted:
        raise errors.StoreError(f"{db} holds no finished run of any article of the gold file: run `claimx batch` first")
    return predicted, stats


def _score_linking(gold: Path, corpus: Path, predictions: Path | None, db: Path | None, fmt: str) -> None:
    try:
        articles = load_gold(gold)
        scored = score_corpus(articles, load_corpus_gold(corpus), _predicted(articles, predictions, db))
    except (ValueError, errors.ClaimxError) as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(scored.model_dump_json(indent=2))
        return
    table = Table(
        "linking",
        "precision",
        "recall",
        "F1",
        title=f"{scored.claims} claims linked, standing for {scored.matched} of {scored.gold_claims} gold claims; "
        f"{scored.gold_events} gold events, {scored.predicted_events} found",
    )
    for name in ("events_pairwise", "events_bcubed", "entities_pairwise", "contradictions"):
        m = getattr(scored, name)
        table.add_row(name.replace("_", " "), f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}")
    Console().print(table)


@click.command("eval", context_settings=CONTEXT)
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--predictions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score saved predictions instead of calling a model (lines from --save, or gold-format lines).",
)
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append each article's result here as it finishes, for re-scoring with --predictions.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="The report as a table or as JSON.",
)
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="attacks",
    show_default=True,
    help="Which predicted claims are scored: 'attacks' sets aside claims about no attack (event type "
    "other_statement), since gold sets code attack-related claims only; the table says how many. 'all' scores all.",
)
@click.option(
    "--corpus",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score linking across articles instead (no model call): the gold claims of GOLD, or the claims in "
    "--predictions, are linked and compared with this claimx-gold-corpus v1 file's events, entities and "
    "contradictions.",
)
@click.option(
    "--db",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score the latest claims of this claim store (after `claimx batch GOLD --db DB`) instead of calling a "
    "model; with --corpus, link them as `claimx events` does.",
)
@endpoint_options
@language_options
@length_options
@calls_option
@verbose_option
def eval_command(
    *,
    gold: Path,
    corpus: Path | None,
    db: Path | None,
    predictions: Path | None,
    save: Path | None,
    fmt: str,
    scope: Scope,
    model: str | None,
    base_url: str | None,
    strategy: str | None,
    mode: str | None,
    calls_per_article: int | None,
    language: str | None,
    fields_language: str | None,
    context_tokens: int | None,
    max_calls: int | None,
    max_chars: int | None,
) -> None:
    """Score claimx against a gold file (claimx-gold v1 JSONL).

    Claims are matched to gold claims through overlapping evidence (Hungarian assignment); the report
    gives claim precision/recall/F1, field scores on matched pairs, grounding rate, calls, tokens and
    seconds per article. Articles are extracted one at a time; or the claims of saved predictions
    (--predictions) or of a claim store (--db, after `claimx batch GOLD`) are scored without a model call.
    Scoring needs the `eval` extra (scipy): pip install 'claimx[eval]'.

    Exit status: 0 scored (an article whose extraction failed counts as no predictions, and its error
    is printed), 1 a broken gold or predictions file, a store with no run of the gold's articles, a missing
    extra, or an incomplete configuration, 2 bad arguments.

    With --corpus, the linking across articles is scored: events by pairwise and B-cubed F1 over the
    gold claims, entities by pairwise F1 on surface forms, contradictions by precision and recall. It links
    GOLD's own claims (the linker alone), or with --predictions the saved claims, or with --db a store's
    claims (linking as users get it: each predicted claim stands for the gold claim its evidence matches,
    and a missed gold claim stays alone).

    \b
    Examples:
      claimx eval eval/dev/dev.jsonl --strategy sentences --save runs/dev.jsonl
      claimx eval eval/dev/dev.jsonl --max-calls 6     # the cost of fewer calls, two cue sentences a call
      claimx eval eval/dev/dev.jsonl --predictions runs/dev.jsonl --format json
      claimx batch corpus.jsonl --db corpus.db && claimx eval corpus.jsonl --db corpus.db
      claimx eval corpus.jsonl --corpus corpus.json
      claimx eval corpus.jsonl --corpus corpus.json --predictions runs/corpus.jsonl
      claimx batch corpus.jsonl --db corpus.db && claimx eval corpus.jsonl --corpus corpus.json --db corpus.db
    """
    if db is not None and predictions is not None:
        raise click.UsageError("give the claims to score once: --db or --predictions")
    if corpus is not None:
        _score_linking(gold, corpus, predictions, db, fmt)
        return
    try:
        assignment()  # the extra is checked before any article is extracted
        golds = load_gold(gold)
        if db is not None:
            predicted, stats = _stored(golds, db)
        elif predictions is not None:
            predicted, stats = runner.load_predictions(predictions)
        else:
            settings = settings_from(
                model=model,
                base_url=base_url,
                strategy=strategy,
                mode=mode,
                concurrency=calls_per_article,
                language=language,
                fields_language=fields_language,
                context_tokens=context_tokens,
                max_calls=max_calls,
                max_chars=max_chars,
            )
            endpoint(settings)  # an incomplete configuration fails once, not once per article
            with transient_progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
            ) as bar:
                task = bar.add_task("articles", total=len(golds))

                def done(article: GoldArticle, result: Result | None, error: str | None) -> None:
                    if error:
                        err.print(f"[red]{article.id}[/]: {error}")
                    bar.advance(task)

                predicted, stats = runner.run(golds, settings, save=save, on_article=done)
        report = score(golds, predicted, stats, scope=scope)
    except (ValueError, errors.ClaimxError) as exc:  # a broken gold or predictions file fails the run (exit 1)
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(report.model_dump_json(indent=2))
    else:
        Console(width=200).print(render_table(report))
