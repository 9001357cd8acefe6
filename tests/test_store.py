"""The SQLite claim store: schema and pragmas, idempotent writes, immutable claims, verification
records, rebuilding results, query filters, cache keys, and the show/claims/verify commands."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import claimx
from claimx.cli import main
from claimx.cli.claims import claims_command
from claimx.cli.show import show_command
from claimx.cli.verify import verify_command
from claimx.extraction.identity import cache_key, cache_key_of, fingerprint, fingerprint_of
from claimx.result import Result
from claimx.settings import settings_from
from claimx.store import ClaimFilter, Store, StoreError, open_store
from claimx.store.migrations import SCHEMA_VERSION
from tests.fakeserver import FakeServer
from tests.helpers import ARTICLE, DRAFTS, build_result, save

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "claimx.db") as opened:
        yield opened


def counts(store: Store) -> dict[str, int]:
    return store.summary()


def test_new_store_uses_wal_and_foreign_keys(store: Store) -> None:
    assert store.execute("PRAGMA journal_mode")[0][0] == "wal"
    assert store.execute("PRAGMA foreign_keys")[0][0] == 1
    assert store.execute("PRAGMA user_version")[0][0] == SCHEMA_VERSION
    tables = {r[0] for r in store.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "runs", "claims", "evidence", "llm_calls", "verifications", "failures", "batches"} <= tables
    with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced
        store.execute(
            "INSERT INTO runs (article_id, cache_key, work_key, text_sha256, model, base_url, strategy, "
            "prompt_hashes, schema_hash, parameters, claimx_version, started_at, seconds, claim_count, "
            "warning_count, result, created_at) VALUES ('nope', 'k', 'w', 's', 'm', 'u', 'whole', '{}', "
            "'h', '{}', 'v', 't', 0, 0, 0, '{}', 't')"
        )


def test_saving_the_same_work_twice_adds_no_row(store: Store) -> None:
    result = build_result()
    first = save(store, result)
    before = counts(store)
    assert before["runs"] == 1 and before["claims"] == 4 and before["evidence"] == 4
    assert save(store, result) == first
    assert counts(store) == before


def test_result_is_rebuilt_exactly_with_its_verifications(store: Store) -> None:
    result = build_result()
    save(store, result)
    rebuilt = store.result("art1")
    assert rebuilt.model_dump(exclude={"verifications"}) == result.model_dump(exclude={"verifications"})
    record = store.verify(result.claims[0].id, verdict="mostly_true", by="Desk", evidence=["https://example.org/a"])
    again = store.result("art1")
    assert again.verifications == [record]
    assert again.verification_of(result.claims[0].id) == record
    assert again.claims == result.claims


def test_verify_adds_a_record_and_never_alters_the_claim(store: Store) -> None:
    result = build_result()
    save(store, result)
    target = result.claims[1].id
    claim_rows = [tuple(r) for r in store.execute("SELECT * FROM claims ORDER BY run_id, id")]
    evidence_rows = [tuple(r) for r in store.execute("SELECT * FROM evidence ORDER BY run_id, claim_id, position")]
    stored_json = store.execute("SELECT result FROM runs")[0][0]
    store.verify(target, verdict="false", by="Jane Doe", note="no rockets that day")
    store.verify(target, verdict="mixed", by="Desk")
    assert [tuple(r) for r in store.execute("SELECT * FROM claims ORDER BY run_id, id")] == claim_rows
    assert [
        tuple(r) for r in store.execute("SELECT * FROM evidence ORDER BY run_id, claim_id, position")
    ] == evidence_rows
    assert store.execute("SELECT result FROM runs")[0][0] == stored_json
    (item,) = store.claims(claim_id=target)
    assert [v.verdict.value for v in item.verifications] == ["false", "mixed"]
    assert item.verification is not None and item.verification.by == "Desk"
    assert item.claim == result.claims[1]


def test_claims_and_verifications_are_protected_in_the_database(store: Store) -> None:
    result = build_result()
    save(store, result)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        store.execute("UPDATE claims SET stance = 'asserted'")
    with pytest.raises(sqlite3.IntegrityError, match="unknown claim"):
        store.execute("INSERT INTO verifications (claim_id, verdict, by, at) VALUES ('nope', 'false', 'x', 't')")
    with pytest.raises(StoreError, match="no claim"):
        store.verify("nope", verdict="false", by="x")
    with pytest.raises(ValueError):
        store.verify(result.claims[0].id, verdict="maybe", by="x")


def test_filters(store: Store) -> None:
    save(store, build_result())
    other = build_result(
        "Police said gunmen stormed the market in Gao.\n",
        [
            {
                "evidence": ["Police said gunmen stormed the market in Gao."],
                "claimant": "Police",
                "claimant_kind": "official_body",
                "stance": "asserted",
                "actor": "gunmen",
                "target": "the market",
                "method": ["gunfire"],
                "place": "Gao",
            }
        ],
        published=date(2024, 3, 1),
        publisher="AFP",
    )
    save(store, other, "art2")

    def ids(**criteria) -> list[str]:
        return [item.claim.claimant for item in store.claims(**criteria)]

    assert len(ids()) == 5
    assert ids(claimant="us OFFICIAL") == ["A US official"]
    assert ids(stance="denied") == ["The ministry"]
    assert sorted(ids(stance=["denied", "asserted"])) == ["Police", "The ministry"]
    assert ids(target="shadadi") == ["A US official"]
    assert ids(since=date(2024, 1, 1)) == ["Police"]  # event dates are December; Police has only a publication date
    # an interval overlaps the range; a claim without an event date falls back to the publication date
    assert ids(since=date(2023, 12, 12), until=date(2023, 12, 12)) == ["A US official"]
    assert sorted(ids(until=date(2023, 12, 13))) == ["A US official", "The Islamic Resistance in Iraq"]
    assert sorted(ids(since=date(2023, 12, 14), until=date(2023, 12, 14))) == ["Officials", "The ministry"]
    assert "Officials" not in ids(grounded_only=True) and len(ids(grounded_only=True)) == 4
    assert ids(article_id="art2") == ["Police"]
    with pytest.raises(StoreError, match="choose from"):
        ClaimFilter(stance="maybe")


def test_latest_run_by_default_all_runs_on_request(store: Store) -> None:
    save(store, build_result(model="small"))
    save(store, build_result(drafts=DRAFTS[:1], model="large"))
    assert len(store.claims()) == 1  # the latest run (model "large") of art1
    assert len(store.claims(model="small")) == 4
    assert len(store.claims(all_runs=True)) == 5
    assert store.result("art1").provenance.model == "large"
    assert store.result("art1", model="small").provenance.model == "small"
    assert [r.model for r in store.runs("art1")] == ["small", "large"]


def test_ids_resolve_from_unique_prefixes(store: Store) -> None:
    result = build_result()
    save(store, result, "abcdef123")
    save(store, result.model_copy(update={"claims": result.claims[:1]}), "abcdzz999")
    assert store.resolve_article("abcdef") == "abcdef123"
    with pytest.raises(StoreError, match="ambiguous"):
        store.resolve_article("abcd")
    with pytest.raises(StoreError, match="no article"):
        store.resolve_article("zzzz")
    claim = result.claims[2].id
    assert store.resolve_claim(claim[:6]) == claim


def test_cache_key_changes_with_everything_that_changes_the_answer() -> None:
    settings = settings_from(base_url="http://127.0.0.1:9/v1", model="m")
    base = fingerprint(settings)
    key = cache_key("sha", base, date(2024, 1, 1), "P")
    assert key == cache_key("sha", fingerprint(settings), date(2024, 1, 1), "P")
    different = [
        cache_key("other", base, date(2024, 1, 1), "P"),
        cache_key("sha", base, date(2024, 1, 2), "P"),
        cache_key("sha", base, date(2024, 1, 1), "Q"),
        cache_key(
            "sha", fingerprint(settings_from(base_url="http://127.0.0.1:9/v1", model="n")), date(2024, 1, 1), "P"
        ),
        cache_key(
            "sha",
            fingerprint(settings_from(base_url="http://127.0.0.1:9/v1", model="m", strategy="sentences")),
            date(2024, 1, 1),
            "P",
        ),
        cache_key(
            "sha",
            fingerprint(settings_from(base_url="http://127.0.0.1:9/v1", model="m", max_reasks=0)),
            date(2024, 1, 1),
            "P",
        ),
        cache_key(
            "sha",
            fingerprint(settings_from(base_url="http://127.0.0.1:9/v1", model="m", temperature=0.5)),
            date(2024, 1, 1),
            "P",
        ),
        cache_key("sha", {**base, "schema_hash": "changed"}, date(2024, 1, 1), "P"),
        cache_key("sha", {**base, "prompt_hashes": {"system": "changed", "whole": "x"}}, date(2024, 1, 1), "P"),
    ]
    assert key not in different and len(set(different)) == len(different)


def test_key_computed_before_the_call_matches_the_finished_result() -> None:
    """The cache key is computed before any call from settings; it must equal the key of what ran."""
    with FakeServer() as server:
        settings = settings_from(base_url=server.base_url, model="m", api_key="x", retry_attempts=1)
        result = claimx.extract(ARTICLE, settings=settings, published="2023-12-14", publisher="P")
    assert fingerprint(settings) == fingerprint_of(result)
    assert cache_key(result.article.sha256, fingerprint(settings), date(2023, 12, 14), "P") == cache_key_of(result)


def test_a_foreign_sqlite_file_or_a_newer_schema_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (x)")
    with pytest.raises(StoreError, match="not a claimx store"):
        Store(foreign)
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer claimx"):
        Store(newer)


# --- the commands ---------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    with Store(path) as store:
        save(store, build_result(), "art1")
    return path


def invoke(command, *args: str):
    return CliRunner(env={"COLUMNS": "250"}).invoke(command, [str(a) for a in args])


def test_show_prints_a_table_or_the_full_result(db: Path) -> None:
    table = invoke(show_command, "art1", "--db", db)
    assert table.exit_code == 0, table.output
    assert "The Islamic Resistance" in table.output and "unverified" in table.output
    as_json = invoke(show_command, "art1", "--db", db, "--format", "json")
    assert Result.model_validate_json(as_json.output) == build_result()
    missing = invoke(show_command, "nope", "--db", db)
    assert missing.exit_code == 1 and "no article 'nope'" in missing.output


def test_claims_command_filters_and_formats(db: Path) -> None:
    listed = invoke(claims_command, "--db", db, "--stance", "denied", "--format", "jsonl")
    assert listed.exit_code == 0, listed.output
    (line,) = listed.output.splitlines()
    assert json.loads(line)["claim"]["claimant"] == "The ministry"
    grounded = invoke(claims_command, "--db", db, "--grounded-only", "--format", "csv")
    assert len(grounded.output.splitlines()) == 1 + 3  # header + the three grounded claims
    dated = invoke(claims_command, "--db", db, "--since", "2023-12-12", "--until", "2023-12-12", "--format", "jsonl")
    assert [json.loads(x)["claim"]["claimant"] for x in dated.output.splitlines()] == ["A US official"]
    table = invoke(claims_command, "--db", db, "--target", "kfar")
    assert "The ministry" in table.output and "Iraq" not in table.output
    bad = invoke(claims_command, "--db", db, "--since", "December")
    assert bad.exit_code == 2


def test_verify_command_records_a_verdict(db: Path) -> None:
    claim_id = build_result().claims[0].id
    done = invoke(
        verify_command,
        claim_id[:6],
        "--db",
        db,
        "--verdict",
        "false",
        "--by",
        "Jane Doe",
        "--evidence",
        "https://example.org/1",
        "--evidence",
        "https://example.org/2",
        "--note",
        "checked",
    )
    assert done.exit_code == 0, done.output
    record = json.loads(done.output)
    assert record["claim_id"] == claim_id and record["evidence"] == ["https://example.org/1", "https://example.org/2"]
    with Store(db) as store:
        assert store.result("art1").verification_of(claim_id).note == "checked"
        assert store.result("art1").claims == build_result().claims
    unknown = invoke(verify_command, "ffffffffffff", "--db", db, "--verdict", "false", "--by", "x")
    assert unknown.exit_code == 1 and "no claim" in unknown.output
    bad = invoke(verify_command, claim_id, "--db", db, "--verdict", "wrong", "--by", "x")
    assert bad.exit_code == 2
    shown = invoke(show_command, "art1", "--db", db)
    assert "false (Jane Doe)" in shown.output


def test_commands_run_as_a_program(db: Path) -> None:
    claim_id = build_result().claims[2].id
    completed = subprocess.run(
        [sys.executable, "-m", "claimx", "verify", claim_id, "--db", str(db), "--verdict", "true", "--by", "Desk"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    shown = subprocess.run(
        [sys.executable, "-m", "claimx", "show", "art1", "--db", str(db), "--format", "json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert Result.model_validate_json(shown.stdout).verification_of(claim_id).verdict == "true"


def test_help_teaches_with_examples() -> None:
    for command in (show_command, claims_command, verify_command):
        text = invoke(command, "--help").output
        assert "Examples" in text and "claimx " in text


def test_every_command_is_a_python_function(db: Path) -> None:
    from claimx.store import open_store

    claim_id = build_result().claims[1].id
    with open_store(db) as store:
        assert store.result(store.resolve_article("art1")) == build_result()
        assert [c.claim.claimant for c in store.claims(stance="reported")] == ["A US official"]
        record = store.verify(
            store.resolve_claim(claim_id[:5]), verdict="false", by="Desk", evidence=["https://example.org/v"]
        )
        assert record.claim_id == claim_id
        assert store.result("art1").verification_of(claim_id) == record


@pytest.mark.parametrize(
    "args",
    [
        ["claims"],
        ["show", "art1"],
        ["export", "--format", "jsonl"],
        ["verify", "abcd1234", "--verdict", "false", "--by", "Desk"],
        ["report", "abcd1234"],
    ],
    ids=["claims", "show", "export", "verify", "report"],
)
def test_read_commands_refuse_a_missing_store_and_create_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(main, [*args, "--db", str(missing)])
    assert result.exit_code == 2, result.output
    assert f"no claim store at {missing}" in result.output and "claimx batch" in result.output
    assert "Traceback" not in result.output and list(tmp_path.iterdir()) == []


def test_a_store_opened_without_create_must_exist(tmp_path: Path, db: Path) -> None:
    missing = tmp_path / "nested" / "typo.db"
    for opener in (lambda: Store(missing, create=False), lambda: open_store(missing, create=False)):
        with pytest.raises(StoreError, match=r"no claim store at .*typo\.db.*claimx batch"):
            opener()
    assert not missing.exists() and not missing.parent.exists()
    with Store(db, create=False) as existing:
        assert existing.summary()["articles"] == 1
