"""The store from Python and from other tools: `claimx.open_store`, articles with their latest run, the flat
claims table as pandas and Arrow (the CSV export's rows), the `claims_flat` and `evidence_flat` views any
SQLite reader sees, and full-text search over evidence quotes and claimants, kept current as runs are added."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner

import claimx
from claimx.cli.claims import claims_command
from claimx.inputs import from_text
from claimx.result import FailedUnit
from claimx.store.export import CSV_COLUMNS, claim_row, parquet_schema
from tests.helpers import DRAFTS, as_text, build_result, save

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two articles (the second run twice, by two models: only its latest run counts), a verdict, and an
    article whose only attempt failed."""
    path = tmp_path / "claims.db"
    with claimx.open_store(path) as store:
        save(store, build_result(), "art1", url="https://news.example/ain-al-assad")
        save(store, build_result(publisher="Reuters", published=date(2024, 1, 5)), "art2", url="javascript:x()")
        save(
            store,
            build_result(drafts=DRAFTS[2:], model="other", publisher="Reuters", published=date(2024, 1, 5)),
            "art2",
        )
        store.verify(store.claims()[0].claim.id, verdict="false", by="Desk")
        store.record_failure(from_text("x", id="art3", publisher="AP"), work_key="k", stage="fetch", error="404")
    return path


def view(path: Path, name: str) -> list[dict[str, Any]]:
    with sqlite3.connect(path) as connection:  # plain sqlite3, as any other reader would
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute(f"SELECT * FROM {name}")]


def test_open_store_is_claimx_open_store_and_never_creates_when_told(tmp_path: Path) -> None:
    with pytest.raises(claimx.StoreNotFoundError, match="no claim store"):
        claimx.open_store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
    with claimx.open_store(tmp_path / "new.db") as store:
        assert isinstance(store, claimx.Store) and store.claims() == [] and store.articles() == []


def test_articles_are_typed_records_with_their_latest_run(db: Path) -> None:
    with claimx.open_store(db, create=False) as store:
        articles = store.articles()
        assert [(a.id, a.status, a.model, a.claims) for a in articles] == [
            ("art1", "complete", "test-model", 4),
            ("art2", "complete", "other", 2),  # the latest run, not the first
            ("art3", None, None, 0),  # failed: no run yet
        ]
        first = articles[0]
        assert isinstance(first, claimx.StoredArticle)
        assert (first.publisher, first.published, first.url) == (
            "Al Mayadeen English",
            date(2023, 12, 14),
            "https://news.example/ain-al-assad",
        )
        assert first.run_id == store.claims(article_id="art1")[0].run_id and first.origin == "text"
        assert [a.id for a in store.articles(publisher="reuters")] == ["art2"]
        assert [a.id for a in store.articles(since=date(2024, 1, 1))] == ["art2"]
        assert [a.id for a in store.articles(until=date(2023, 12, 31))] == ["art1"]
        assert [a.id for a in store.articles(claimx.ArticleFilter(limit=2))] == ["art1", "art2"]


def test_to_pandas_is_the_csv_rows_of_the_claims(db: Path) -> None:
    with claimx.open_store(db, create=False) as store:
        claims = store.claims()
        frame = store.to_pandas()
        denied = store.to_pandas(stance="denied")
        denied_claims = store.claims(stance="denied")
    assert list(frame.columns) == list(CSV_COLUMNS) and len(frame) == len(claims) == 6
    records = [
        {k: None if not isinstance(v, list) and pd.isna(v) else v for k, v in r.items()}
        for r in frame.to_dict("records")
    ]
    assert records == [claim_row(item) for item in claims]
    assert frame.loc[0, "via"] == ["Al Mayadeen"] and frame.loc[0, "method"] == ["drones"]  # lists stay lists
    assert (
        frame.loc[0, "chain"] == "The Islamic Resistance in Iraq ← Al Mayadeen" and frame.loc[0, "verdict"] == "false"
    )
    assert str(frame["quote_start"].dtype) == "Int64" and frame["grounded"].dtype == bool
    assert list(denied["claim_id"]) == [item.claim.id for item in denied_claims] and len(denied) == 2
    assert list(frame["url"].isna()) == [False] * 4 + [True] * 2  # a javascript: URL is never written


def test_to_arrow_is_typed_as_the_parquet_export(db: Path) -> None:
    with claimx.open_store(db, create=False) as store:
        table = store.to_arrow(grounded_only=True)
        grounded = store.claims(grounded_only=True)
    assert isinstance(table, pa.Table) and table.schema == parquet_schema()
    assert table.column_names == list(CSV_COLUMNS) and table.num_rows == len(grounded) == 4
    first = table.to_pylist()[0]
    assert first["published"] == date(2023, 12, 14) and first["via"] == ["Al Mayadeen"] and first["grounded"] is True
    assert first == {**claim_row(grounded[0]), "published": date(2023, 12, 14)}


@pytest.mark.parametrize(
    ("module", "call", "extra"), [("pandas", "to_pandas", "pandas"), ("pyarrow", "to_arrow", "parquet")]
)
def test_a_missing_extra_is_an_export_error_naming_it(
    db: Path, monkeypatch: pytest.MonkeyPatch, module: str, call: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with claimx.open_store(db, create=False) as store, pytest.raises(claimx.ExportError, match=rf"claimx\[{extra}\]"):
        getattr(store, call)()


def test_claims_flat_is_one_readable_row_per_claim_of_each_latest_run(db: Path) -> None:
    rows = view(db, "claims_flat")
    with claimx.open_store(db, create=False) as store:
        claims = store.claims()
    assert list(rows[0]) == list(CSV_COLUMNS) and len(rows) == len(claims) == 6
    assert rows == [as_text(claim_row(item)) for item in claims]
    first, second = rows[0], rows[1]
    assert first["via"] == "Al Mayadeen" and first["chain"] == "The Islamic Resistance in Iraq ← Al Mayadeen"
    assert (first["verdict"], first["verified_by"], first["url"]) == (
        "false",
        "Desk",
        "https://news.example/ain-al-assad",
    )
    assert second["chain"] == "A US official ← Reuters" and second["method"] == "rockets"
    assert rows[3]["grounded"] == 0 and rows[3]["quote"] == "Officials said the convoy was ambushed."
    assert {r["article_id"]: r["model"] for r in rows} == {"art1": "test-model", "art2": "other"}
    assert [r["url"] for r in rows if r["article_id"] == "art2"] == [None, None]


def test_evidence_flat_is_one_row_per_quote_with_its_claim_and_article(db: Path) -> None:
    rows = view(db, "evidence_flat")
    with claimx.open_store(db, create=False) as store:
        claims = store.claims()
    assert len(rows) == sum(len(item.claim.evidence) for item in claims) == 6
    first = rows[0]
    quote = claims[0].claim.evidence[0]
    assert (first["quote"], first["start"], first["end"], first["status"]) == (
        quote.quote,
        quote.start,
        quote.end,
        "exact",
    )
    assert first["grounded"] == 1 and first["mismatches"] == "" and first["publisher"] == "Al Mayadeen English"
    assert first["chain"] == "The Islamic Resistance in Iraq ← Al Mayadeen" and first["claim_id"] == claims[0].claim.id
    assert rows[3]["grounded"] == 0 and rows[3]["status"] == "not_found"


def test_search_finds_claims_by_a_word_of_their_quote_or_their_claimant(db: Path) -> None:
    with claimx.open_store(db, create=False) as store:
        assert [(i.article_id, i.claim.claimant) for i in store.search("drones")] == [
            ("art1", "The Islamic Resistance in Iraq")
        ]
        assert [i.claim.claimant for i in store.search("attack")] == ["The Islamic Resistance in Iraq"]  # stemmed
        assert [i.article_id for i in store.search("claimant:ministry")] == ["art1", "art2"]
        assert {i.claim.claimant for i in store.search("official")} == {"A US official", "Officials"}
        assert store.search('"al-Assad"')[0].claim.target == "the Ain al-Assad base"
        assert len(store.search("ministry OR official", limit=2)) == 2
        assert [i.article_id for i in store.search("ministry", article_id="art2")] == ["art2"]
        assert store.search("drones", all_runs=True)[0].model == "test-model"
        with pytest.raises(claimx.StoreError, match=r"FTS5 syntax.*double quotes"):
            store.search("al-Assad")
        with pytest.raises(claimx.StoreError, match="give words"):
            store.search(" ")


def test_a_claim_added_by_a_completed_partial_run_is_searchable(tmp_path: Path) -> None:
    failed = [FailedUnit(key="s3", label="sentence 3", reason="HTTP 500")]
    partial = build_result(drafts=DRAFTS[:2]).model_copy(update={"status": "partial", "failed_units": failed})
    with claimx.open_store(tmp_path / "p.db") as store:
        run_id = save(store, partial)
        assert store.search("Kfar") == [] and len(store.search("drones")) == 1
        assert save(store, build_result()) == run_id  # completed in place: two more claims in the same run
        assert [i.claim.claimant for i in store.search("Kfar")] == ["The ministry"]
        assert [i.claim.claimant for i in store.search("convoy")] == ["Officials"]
        indexed, evidence = store.execute(
            "SELECT (SELECT count(*) FROM evidence_fts), (SELECT count(*) FROM evidence)"
        )[0]
        assert indexed == evidence == 4  # each quote indexed once


def test_claims_command_searches(db: Path) -> None:
    run = CliRunner().invoke(claims_command, ["--db", str(db), "--search", "drone*", "--format", "jsonl"])
    assert run.exit_code == 0, run.output
    assert [json.loads(line)["claim"]["method"] for line in run.stdout.splitlines()] == [["drones"]]
    bad = CliRunner().invoke(claims_command, ["--db", str(db), "--search", "al-Assad"])
    assert bad.exit_code != 0 and "double quotes" in bad.output
    assert "--search" in CliRunner().invoke(claims_command, ["--help"]).output
