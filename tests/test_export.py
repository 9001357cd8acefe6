"""Exports: JSONL reads back to the same claims; CSV, Parquet, ACLED-style CSV and ClaimReview
JSON-LD have the columns and fields their formats require."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimx.cli.export import export_command
from claimx.store import Store, export
from claimx.store.claimreview import claim_review
from claimx.store.export import ACLED_COLUMNS, CSV_COLUMNS, ExportError, read_jsonl, to_string
from tests.helpers import build_result, save

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
VERIFIED_AT = datetime(2024, 2, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    with Store(path) as store:
        result = build_result()
        save(store, result, "art1", url="https://news.example/ain-al-assad")
        store.verify(
            result.claims[0].id,
            verdict="mostly_true",
            by="Desk",
            evidence=["https://example.org/a"],
            note="Confirmed by satellite images",
            at=VERIFIED_AT,
        )
        store.verify(result.claims[1].id, verdict="unproven", by="Desk", at=VERIFIED_AT)
        store.verify(result.claims[1].id, verdict="false", by="Jane Doe", at=VERIFIED_AT)  # the latest counts
    return path


@pytest.fixture
def items(db: Path):
    with Store(db) as store:
        return store.claims()


def test_jsonl_reads_back_to_the_same_claims(items, tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    assert export.export(items, "jsonl", path) == 4
    back = read_jsonl(path)
    assert back == items
    assert [b.claim for b in back] == build_result().claims
    assert back[1].verification is not None and back[1].verification.verdict == "false"
    assert read_jsonl(io.StringIO(path.read_text())) == items


def test_csv_has_the_documented_columns(items) -> None:
    table = list(csv.DictReader(io.StringIO(to_string(items, "csv"))))
    assert list(table[0]) == list(CSV_COLUMNS) and len(table) == 4
    first = table[0]
    assert first["claimant"] == "The Islamic Resistance in Iraq" and first["via"] == "Al Mayadeen"
    assert first["chain"] == "The Islamic Resistance in Iraq ← Al Mayadeen" and first["grounded"] == "true"
    assert first["verdict"] == "mostly_true" and first["url"] == "https://news.example/ain-al-assad"
    text = build_result().article.text
    assert text[int(first["quote_start"]) : int(first["quote_end"])] == first["quote"]
    assert table[3]["grounded"] == "false" and table[3]["verdict"] == ""


def test_parquet_round_trips_typed_columns(items, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "claims.parquet"
    assert export.export(items, "parquet", path) == 4
    table = pq.read_table(path)
    assert table.column_names == list(CSV_COLUMNS) and table.num_rows == 4
    rows = table.to_pylist()
    assert rows[0]["via"] == ["Al Mayadeen"] and rows[0]["method"] == ["drones"]
    assert rows[0]["published"] == date(2023, 12, 14) and rows[3]["grounded"] is False


def test_parquet_without_pyarrow_says_how_to_install_it(items, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ExportError, match=r"pip install 'claimx\[parquet\]'"):
        export.export(items, "parquet", tmp_path / "x.parquet")


def test_acled_rows_are_candidate_events_that_say_they_are_claims(items) -> None:
    table = list(csv.DictReader(io.StringIO(to_string(items, "acled", include_stances=["denied"]))))
    assert list(table[0]) == list(ACLED_COLUMNS) and len(table) == 4
    drone, rockets, shelling, ambush = table
    assert drone["event_date"] == "2023-12-13" and drone["year"] == "2023" and drone["time_precision"] == "1"
    assert drone["sub_event_type"] == "Air/drone strike" and drone["event_type"] == "Explosions/Remote violence"
    assert drone["disorder_type"] == "Political violence"
    assert drone["actor1"] == "The Islamic Resistance in Iraq" and drone["actor2"] == "the Ain al-Assad base"
    assert drone["location"] == "Ain al-Assad"
    assert drone["source"] == "The Islamic Resistance in Iraq ← Al Mayadeen ← Al Mayadeen English"
    assert drone["notes"].startswith("CLAIM, not a verified event")
    assert "Claimant: The Islamic Resistance in Iraq (stance: claimed_responsibility)" in drone["notes"]
    assert "Verification: mostly_true by Desk" in drone["notes"]
    # an interval keeps its start and says how precise it is; no perpetrator means actor1 = claimant
    assert rockets["event_date"] == "2023-12-11" and rockets["time_precision"] == "2"
    assert rockets["actor1"] == "A US official" and rockets["sub_event_type"] == "Shelling/artillery/missile attack"
    assert "Outcome as claimed: caused no casualties" in rockets["notes"]
    # no event date: the publication date, month precision, and the notes say so
    assert shelling["event_date"] == "2023-12-14" and shelling["time_precision"] == "3"
    assert "date of publication" in shelling["notes"] and shelling["actor1"] == "its forces"
    assert shelling["claimx_stance"] == "denied" and "Unverified" in shelling["notes"]
    assert ambush["sub_event_type"] == "Armed clash" and ambush["event_type"] == "Battles"
    assert ambush["fatalities"] == ""  # no outcome, no fatalities


def test_claimreview_json_ld_for_verified_claims_only(items) -> None:
    reviewers = {"Desk": "Organization", "Jane Doe": "Person"}
    reviews = json.loads(
        to_string(items, "claimreview", reviewer_url="https://factcheck.example/r/1", reviewer_type=reviewers)
    )
    assert len(reviews) == 2  # two of the four claims carry a verdict
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        for key in ("claimReviewed", "author", "reviewRating", "itemReviewed", "datePublished", "url"):
            assert review[key], key
        assert date.fromisoformat(review["datePublished"]) == date(2024, 2, 1)
        assert review["author"]["@type"] in ("Organization", "Person") and review["author"]["name"]
        assert review["itemReviewed"]["@type"] == "Claim"
        appearance = review["itemReviewed"]["appearance"]
        assert appearance["@type"] == "CreativeWork" and appearance["url"] == "https://news.example/ain-al-assad"
        assert review["reviewRating"]["@type"] == "Rating" and review["reviewRating"]["alternateName"]
    first, second = reviews
    assert first["claimReviewed"].startswith("The Islamic Resistance in Iraq said it attacked")
    assert first["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly true",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert first["itemReviewed"]["author"] == {"@type": "Organization", "name": "The Islamic Resistance in Iraq"}
    assert first["reviewBody"] == "Confirmed by satellite images" and first["citation"] == ["https://example.org/a"]
    assert second["reviewRating"]["ratingValue"] == 1 and second["author"]["name"] == "Jane Doe"
    assert second["itemReviewed"]["author"]["@type"] == "Person"  # an anonymous official is a person
    unproven = claim_review(
        items[1].__class__(**{**items[1].__dict__, "verifications": items[1].verifications[:1]}),
        reviewer_type="Organization",
    )
    assert unproven is not None and "ratingValue" not in unproven["reviewRating"]


def invoke(*args):
    return CliRunner().invoke(export_command, [str(a) for a in args])


def test_export_command(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    done = invoke("--format", "acled", "--db", db, "--grounded-only", "--include", "denied", "-o", out)
    assert done.exit_code == 0, done.output
    assert "exported 3 claim(s) as acled" in done.output
    assert len(list(csv.DictReader(out.open()))) == 3
    to_stdout = invoke("--format", "jsonl", "--db", db, "--stance", "denied")
    assert [json.loads(line)["claim"]["stance"] for line in to_stdout.stdout.splitlines()] == ["denied"]
    reviews = invoke("--format", "claimreview", "--db", db, "--verified", "--reviewer-type", "Person")
    assert all(r["author"]["@type"] == "Person" for r in json.loads(reviews.stdout))
    binary = invoke("--format", "parquet", "--db", db)
    assert binary.exit_code == 1 and "give a file" in binary.output
    assert invoke("--format", "yaml", "--db", db).exit_code == 2
    unnamed = invoke("--db", db)  # the format is never guessed
    assert unnamed.exit_code == 2 and "--format" in unnamed.output
    assert "Examples" in invoke("--help").output


def test_export_is_the_command_as_a_function(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "reviews.json"
    with Store(db) as store:
        assert export.export(store.claims(target="shadadi"), "claimreview", out, reviewer_type="Person") == 1
        with pytest.raises(ExportError, match="unknown export format"):
            export.export(store.claims(), "xml")
    (review,) = json.loads(out.read_text())
    assert review["itemReviewed"]["author"]["name"] == "A US official"


def test_exports_write_only_http_urls(tmp_path: Path) -> None:
    with Store(tmp_path / "bad.db") as store:
        result = build_result()
        save(store, result, "art1", url="javascript:alert(1)")
        evidence = ["https://example.org/a", "javascript:alert(2)", "Interview with the mayor, 3 May"]
        store.verify(result.claims[0].id, verdict="false", by="Desk", evidence=evidence, at=VERIFIED_AT)
        items = store.claims()
    (review,) = json.loads(to_string(items, "claimreview", reviewer_type="Organization"))
    assert "url" not in review["itemReviewed"]["appearance"]
    assert review["citation"] == [
        "https://example.org/a",
        {"@type": "CreativeWork", "name": "javascript:alert(2)"},
        {"@type": "CreativeWork", "name": "Interview with the mayor, 3 May"},
    ]
    assert {row["url"] for row in csv.DictReader(io.StringIO(to_string(items, "csv")))} == {""}
    assert {json.loads(line)["url"] for line in to_string(items, "jsonl").splitlines()} == {None}
    assert "javascript" not in to_string(items, "acled")
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https:javascript",
        "//example.org/r",
        "http://[::1",
    ):
        with pytest.raises(ExportError, match="http"):
            to_string(items, "claimreview", reviewer_url=bad)


def test_a_reviewer_url_that_is_not_http_is_a_usage_error(db: Path) -> None:
    refused = invoke("--format", "claimreview", "--db", db, "--reviewer-url", "javascript:alert(1)")
    assert refused.exit_code == 2 and "--reviewer-url" in refused.output and "http(s)" in refused.output
    assert "Traceback" not in refused.output and "[" not in refused.stdout
    accepted = invoke(
        "--format",
        "claimreview",
        "--db",
        db,
        "--reviewer-url",
        "https://factcheck.example/r/1",
        "--reviewer-type",
        "Organization",
    )
    first = json.loads(accepted.stdout)[0]
    claim_id = first["identifier"].removeprefix("claimx:claim:")
    assert accepted.exit_code == 0 and first["url"] == f"https://factcheck.example/r/1#claim-{claim_id}"
