"""Numbered migrations: a version-1 store written before they existed is upgraded in place and keeps
every row; a fresh store gets them all; none is applied twice; a failed one changes nothing; files
from a newer claimx, or not from claimx at all, are refused untouched."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from claimx.store import ClaimFilter, Store, StoreError, migrations
from claimx.store.migrations import MIGRATIONS, SCHEMA_VERSION, TABLE
from claimx.store.queries import claims_query
from tests.helpers import build_result, save

V1 = Path(__file__).parent / "data" / "store-v1.db"
TABLES = ("articles", "batches", "runs", "claims", "evidence", "llm_calls", "failures", "verifications")
NAMES = [
    "m001_initial",
    "m002_runs_by_model",
    "m003_partial_runs_and_leases",
    "m004_flat_views_and_search",
    "m005_audit_log",
    "m006_languages",
    "m007_entities_and_events",
    "m010_claim_event_types",
    "m011_reactions_are_other_statements",
]
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        return {t: [tuple(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES}


def schema(path: Path) -> set[tuple]:
    with sqlite3.connect(path) as db:
        return set(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def recorded(store: Store) -> list[tuple[str, str]]:
    return [tuple(r) for r in store.execute(f"SELECT name, applied_at FROM {TABLE} ORDER BY name")]


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    path = tmp_path / "v1.db"
    shutil.copy(V1, path)
    return path


def test_the_migrations_are_numbered_in_order() -> None:
    assert [fn.__name__ for fn in MIGRATIONS] == NAMES
    assert len(NAMES) == SCHEMA_VERSION


def test_a_version_1_store_is_upgraded_and_keeps_every_row(v1: Path, tmp_path: Path) -> None:
    before = rows(v1)
    assert [len(before[t]) for t in TABLES] == [2, 1, 1, 4, 4, 2, 1, 1]
    with Store(v1) as store:
        assert [name for name, _ in recorded(store)] == NAMES
        assert store.execute("PRAGMA user_version")[0][0] == len(NAMES)
        assert [tuple(r) for r in store.execute("SELECT id, status FROM runs")] == [(1, "complete")]
        assert store.execute("SELECT count(*) FROM leases")[0][0] == 0
        assert store.execute("SELECT count(*) FROM calls")[0][0] == 0  # m005: an empty audit log
        linking = ("entity_aliases", "entity_decisions", "entities", "surface_forms", "events", "event_members")
        assert [store.execute(f"SELECT count(*) FROM {t}")[0][0] for t in linking] == [0] * 6  # m007: nothing linked
        index = store.execute("SELECT tbl_name, sql FROM sqlite_master WHERE name = 'runs_by_model'")
        assert [tuple(r) for r in index] == [("runs", "CREATE INDEX runs_by_model ON runs(model, article_id)")]

        items = store.claims()
        assert len(items) == 4 and all(item.claim.evidence for item in items)
        assert [item.claim for item in items] == store.result("article-one").claims  # the tables match the Result
        assert [len(item.claim.evidence) for item in items] == [1, 1, 1, 1]
        verified = {item.claim.id: item.verification for item in items if item.verification}
        assert list(verified) == ["600057bd550a"]
        assert verified["600057bd550a"].verdict == "false" and verified["600057bd550a"].by == "desk editor"
        assert store.result("article-one").verification_of("600057bd550a") == verified["600057bd550a"]
        (failure,) = store.failures()
        assert failure.article_id == "article-two" and failure.stage == "extract" and failure.origin == "fixture"
        assert [(r.id, r.model, r.claims) for r in store.runs()] == [(1, "test-model", 4)]
        # m004: the views show the old rows, and the search index holds every old quote
        flat = store.execute("SELECT claim_id, chain FROM claims_flat")
        assert [tuple(r) for r in flat] == [(i.claim.id, i.claim.chain) for i in items]
        assert store.execute("SELECT count(*) FROM evidence_flat")[0][0] == 4
        assert store.execute("SELECT count(*) FROM evidence_fts")[0][0] == 4
        assert [i.claim.claimant for i in store.search("shelled")] == ["The ministry"]
        assert [i.article_id for i in store.claims(language="en")] == ["article-one"] * 4  # m006
        # m010: every old claim has the event type its words give, in the table and the flat view
        types = store.execute(
            "SELECT c.id, c.event_type, f.event_type FROM claims c JOIN claims_flat f ON f.claim_id = c.id"
        )
        assert {r[0]: (r[1], r[2]) for r in types} == {i.claim.id: (i.claim.event_type,) * 2 for i in items}
        with pytest.raises(sqlite3.IntegrityError, match="claims are immutable"):
            store.execute("UPDATE claims SET event_type = 'attack'")  # the trigger is back
    after = rows(v1)
    assert [run[-1] for run in after["runs"]] == ["complete"]  # m003 adds runs.status as the last column
    after["runs"] = [run[:-1] for run in after["runs"]]
    # m006 adds articles.language, detected from the stored text, and claims.claimant_english, empty for old claims;
    # m010 adds claims.event_type after it
    assert [article[-1] for article in after["articles"]] == ["en", None]  # too short to tell
    assert [claim[-2] for claim in after["claims"]] == [None] * 4
    after["articles"] = [article[:-1] for article in after["articles"]]
    after["claims"] = [claim[:-2] for claim in after["claims"]]
    assert after == before  # every row as it was, byte for byte

    fresh = tmp_path / "fresh.db"
    Store(fresh).close()
    assert schema(v1) == schema(fresh)  # m001 recreates exactly the schema version-1 files have

    with Store(v1) as store:  # and it takes new work
        run_id = save(store, build_result(), "article-three")
        store.verify("c1bb52f242ed", verdict="mostly_true", by="Desk")
        assert store.summary() == {
            "articles": 3,
            "runs": 2,
            "claims": 8,
            "evidence": 8,
            "llm_calls": 3,
            "failures": 1,
            "verifications": 2,
            "batches": 1,
        }
        assert store.result("article-three", run_id=run_id).claims == build_result().claims
        assert [i.article_id for i in store.search("drones")] == ["article-one", "article-three"]
        verified_ids = [i.claim.id for i in store.claims(verified=True, article_id="article-one")]
        assert verified_ids == ["600057bd550a", "c1bb52f242ed"]
        assert [v.verdict for v in store.verifications()] == ["false", "mostly_true"]


def test_opening_again_applies_nothing_twice(v1: Path, tmp_path: Path) -> None:
    for path in (v1, tmp_path / "fresh.db"):
        with Store(path) as store:
            first = recorded(store)
        with Store(path) as store:
            assert recorded(store) == first and [name for name, _ in first] == NAMES
            assert store.execute("PRAGMA user_version")[0][0] == SCHEMA_VERSION


def test_a_fresh_store_gets_every_migration(tmp_path: Path) -> None:
    with Store(tmp_path / "new.db") as store:
        assert [name for name, _ in recorded(store)] == NAMES
        assert store.execute("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        indexes = {r[0] for r in store.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"runs_by_cache_key", "runs_by_work_key", "claims_by_id", "runs_by_model", "calls_by_article"} <= indexes


def test_a_store_from_a_newer_claimx_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = schema(path)
    with pytest.raises(StoreError, match="newer claimx"):
        Store(path)
    assert schema(path) == before


def test_a_foreign_sqlite_file_gets_no_migration_table(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match="not a claimx store"):
        Store(path)
    assert {name for _, name, _, _ in schema(path)} == {"notes"}


def test_a_failed_migration_is_rolled_back_whole(v1: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def m006_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        db.execute("CREATE INDEX nowhere ON no_such_table(x)")

    Store(v1).close()
    before = schema(v1)
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, m006_broken])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(MIGRATIONS) + 1)
    with pytest.raises(StoreError, match="m006_broken"):
        Store(v1)
    assert schema(v1) == before  # no half_done table
    with sqlite3.connect(v1) as db:
        assert [r[0] for r in db.execute(f"SELECT name FROM {TABLE} ORDER BY name")] == NAMES
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(NAMES)


def test_runs_by_model_serves_the_latest_run_of_a_model(tmp_path: Path) -> None:
    """Why m002 exists: the claims query for one model finds its runs through the index, not by
    reading every run row (each holds a whole Result)."""
    with Store(tmp_path / "plan.db") as store:
        query, params = claims_query(ClaimFilter(model="m"))
        plan = " | ".join(r["detail"] for r in store.execute(f"EXPLAIN QUERY PLAN {query}", params))
        assert "COVERING INDEX runs_by_model (model=?)" in plan
        latest = "SELECT max(id) FROM runs WHERE article_id = ? AND model = ?"
        plan = " | ".join(r["detail"] for r in store.execute(f"EXPLAIN QUERY PLAN {latest}", ("a", "m")))
        assert "runs_by_model" in plan


def test_m011_classifies_a_stored_reaction_again(tmp_path: Path) -> None:
    path = tmp_path / "v10.db"
    text = "Headline\nThe president condemned the rocket attack on the town. Police said rockets hit the town.\n"
    drafts = [
        {"evidence": ["The president condemned the rocket attack on the town."], "claimant": "The president"},
        {"evidence": ["Police said rockets hit the town."], "claimant": "Police"},
    ]
    for draft in drafts:
        draft |= {"claimant_kind": "named_person", "stance": "asserted"}
    with Store(path) as store:
        save(store, build_result(text, drafts))
    with sqlite3.connect(path) as db:  # as a store of schema 10 left it: the reaction typed by its rockets
        (trigger,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_are_immutable'").fetchone()
        db.execute("DROP TRIGGER claims_are_immutable")
        db.execute("UPDATE claims SET event_type = 'shelling_artillery_missile_attack'")
        db.execute(trigger)
        db.execute(f"DELETE FROM {TABLE} WHERE name = 'm011_reactions_are_other_statements'")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    with Store(path) as store:
        types = dict(store.execute("SELECT claimant, event_type FROM claims"))
        assert types == {"The president": "other_statement", "Police": "shelling_artillery_missile_attack"}
        with pytest.raises(sqlite3.IntegrityError, match="claims are immutable"):
            store.execute("UPDATE claims SET event_type = 'attack'")  # the trigger is back
