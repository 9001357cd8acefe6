"""Where articles come from: files, directories, stdin, JSONL/CSV/JSON tables, and URLs.

Every source becomes `ArticleInput` records with a stable id (the one given, else a hash of the
text or URL), so a batch can be interrupted and resumed. A record that cannot be used (a row with
neither text nor url, an unreadable file, a non-http URL, a field no UTF-8 can hold) still comes out,
with `problem` saying why, so the batch records it as failed and goes on with the rest. URLs are
fetched by `claimx.fetch`.

    >>> from claimx.inputs import iter_inputs
    >>> for article in iter_inputs(["articles/", "feed.jsonl", "https://example.org/news/1"]):
    ...     print(article.id, article.origin, article.problem)
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import urlsplit

from claimx.errors import InputError
from claimx.extraction.text import check_encodable, decode
from claimx.fetch import url_problem

ARTICLE_SUFFIXES = frozenset({".txt", ".html", ".htm", ".md"})
TABLE_SUFFIXES = frozenset({".json", ".jsonl", ".csv"})
DIRECTORY_SUFFIXES = ARTICLE_SUFFIXES | TABLE_SUFFIXES
COLUMNS = ("id", "text", "published", "publisher", "url")
EXAMPLE = "almayadeen-2023-12-14.txt"  # package data in claimx/examples/ (origin and licence: SOURCES.md there)
ID_LENGTH = 16
StdinFormat = Literal["text", "jsonl", "csv"]


@dataclass(frozen=True)
class ArticleInput:
    """One article to process. `text` is the raw article (plain text or HTML); a record with only
    a `url` is fetched when it is processed. `origin` says where it came from (a path, `path:line`,
    `stdin`, or the URL); `problem`, when set, says why it cannot be processed."""

    id: str
    text: str | None = None
    url: str | None = None
    published: date | None = None
    publisher: str | None = None
    origin: str = ""
    problem: str | None = None

    def with_text(self, text: str, *, published: date | None = None, publisher: str | None = None) -> ArticleInput:
        """The same article (same id) once its URL has been fetched; given metadata wins."""
        return replace(self, text=text, published=self.published or published, publisher=self.publisher or publisher)


def article_id(text: str | None = None, url: str | None = None) -> str:
    """A stable id: the first 16 hex digits of the sha256 of the text, else of the URL. A lone
    surrogate is hashed as is (`surrogatepass`), so even text that no UTF-8 can hold gets an id."""
    basis = text if text is not None else url
    if basis is None:
        raise ValueError("an article id needs text or a url")
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:ID_LENGTH]


def _printable(name: str) -> str:
    """A path or URL as the store can keep it: undecodable bytes in a file name (surrogate escapes)
    and lone surrogates become backslash escapes."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _storable(fields: dict[str, str | None]) -> tuple[dict[str, str | None], str | None]:
    """The fields with each one that UTF-8 cannot hold dropped (it could be neither stored nor sent),
    and why, or None when all can be kept."""
    kept: dict[str, str | None] = {}
    problems = []
    for name, value in fields.items():
        try:
            if value is not None:
                check_encodable(value, f"The {name} field")
            kept[name] = value
        except InputError as exc:
            kept[name] = None
            problems.append(str(exc))
    return kept, "; ".join(problems) or None


def is_url(source: str) -> bool:
    return "://" in source and urlsplit(source).scheme.isalpha()


def parse_date(value: Any) -> date | None:
    """A date from YYYY-MM-DD (or the date part of an ISO timestamp); None for blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"published {text!r} is not a date (YYYY-MM-DD)") from None


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def from_text(
    text: str,
    *,
    id: str | None = None,
    published: date | str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    origin: str = "text",
) -> ArticleInput:
    """An article given as a string (plain text or HTML)."""
    fields, problem = _storable({"id": id, "text": text, "url": url, "publisher": publisher})
    return ArticleInput(
        id=fields["id"] or article_id(text=text),
        text=fields["text"],
        url=fields["url"],
        published=parse_date(published),
        publisher=fields["publisher"],
        origin=_printable(origin),
        problem=problem,
    )


def from_url(
    url: str,
    *,
    id: str | None = None,
    published: date | str | None = None,
    publisher: str | None = None,
    origin: str | None = None,
) -> ArticleInput:
    """An article to fetch; a non-http(s) URL gives a record with `problem` set."""
    url = url.strip()
    fields, problem = _storable({"id": id, "url": url, "publisher": publisher})
    return ArticleInput(
        id=fields["id"] or article_id(url=url),
        url=fields["url"],
        published=parse_date(published),
        publisher=fields["publisher"],
        origin=_printable(origin or url),
        problem=problem or url_problem(url),
    )


def example() -> ArticleInput:
    """The article bundled with claimx, with its publisher and date: `claimx extract --example` runs on it.
    It is package data, read through importlib.resources, so an installed wheel has it wherever it runs."""
    text = resources.files("claimx").joinpath("examples", EXAMPLE).read_text(encoding="utf-8")
    return from_text(text, published="2023-12-14", publisher="Al Mayadeen English", origin=f"claimx/examples/{EXAMPLE}")


def from_record(record: object, origin: str) -> ArticleInput:
    """A row with columns id, text, published, publisher, url (text or url required); a JSON line
    that is not an object, or a field no UTF-8 can hold, becomes a record with a problem."""
    if not isinstance(record, dict):
        return ArticleInput(
            id=article_id(text=json.dumps(record, default=str)),
            origin=origin,
            problem=f"expected an object with text or url, got {type(record).__name__}",
        )
    row = {str(k).strip().lower(): v for k, v in record.items() if k is not None}
    given = _clean(row.get("id"))
    given = given.strip() if given else None
    text, url = _clean(row.get("text")), _clean(row.get("url"))
    url = url.strip() if url else None
    publisher = _clean(row.get("publisher"))
    publisher = publisher.strip() if publisher else None
    fields, unstorable = _storable({"id": given, "text": text, "url": url, "publisher": publisher})
    fallback = fields["id"] or article_id(text=json.dumps(row, sort_keys=True, default=str))
    if unstorable:
        return ArticleInput(fallback, fields["text"], fields["url"], None, fields["publisher"], origin, unstorable)
    try:
        published = parse_date(row.get("published"))
    except ValueError as exc:
        return ArticleInput(id=fallback, text=text, url=url, publisher=publisher, origin=origin, problem=str(exc))
    if text is None and url is None:
        return ArticleInput(id=fallback, origin=origin, problem="the row has neither text nor url")
    if text is not None:
        return ArticleInput(
            id=given or article_id(text=text),
            text=text,
            url=url,
            published=published,
            publisher=publisher,
            origin=origin,
        )
    assert url is not None
    return from_url(url, id=given, published=published, publisher=publisher, origin=origin)


def read_jsonl(stream: Iterable[str], origin: str) -> Iterator[ArticleInput]:
    """One JSON object per line; blank lines are skipped, a bad line is a record with a problem."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ArticleInput(id=article_id(text=line), origin=where, problem=f"not valid JSON: {exc}")
            continue
        yield from_record(record, where)


def _raise_csv_field_limit() -> None:
    """Articles are longer than the csv module's default 128 KiB field limit."""
    limit = 2**31 - 1
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


def read_csv(stream: IO[str], origin: str) -> Iterator[ArticleInput]:
    """A CSV with a header row naming (some of) id, text, published, publisher, url."""
    _raise_csv_field_limit()
    reader = csv.DictReader(stream)
    header = [str(h).strip().lower() for h in (reader.fieldnames or [])]
    if not {"text", "url"} & set(header):
        yield ArticleInput(
            id=article_id(text=f"{origin}:{header}"),
            origin=origin,
            problem=f"the CSV header {header} has neither a text nor a url column",
        )
        return
    for record in reader:
        yield from_record(record, f"{origin}:{reader.line_num}")


def read_json(data: str, origin: str) -> Iterator[ArticleInput]:
    """A JSON object (one article) or a list of them."""
    try:
        value = json.loads(data)
    except json.JSONDecodeError as exc:
        yield ArticleInput(id=article_id(text=data), origin=origin, problem=f"not valid JSON: {exc}")
        return
    records = value if isinstance(value, list) else [value]
    for number, record in enumerate(records):
        yield from_record(record, f"{origin}[{number}]" if isinstance(value, list) else origin)


def _decoded(data: bytes, origin: str) -> str | ArticleInput:
    try:
        return decode(data)
    except InputError as exc:
        return ArticleInput(id=hashlib.sha256(data).hexdigest()[:ID_LENGTH], origin=origin, problem=str(exc))


def read_file(path: str | Path) -> Iterator[ArticleInput]:
    """A .txt/.md/.html/.htm article, or a .jsonl/.json/.csv table of articles."""
    path = Path(path)
    origin = _printable(str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ArticleInput(
            id=article_id(url=f"file:{path}"), origin=origin, problem=f"cannot read {origin}: {exc.strerror or exc}"
        )
        return
    text = _decoded(data, origin)
    if isinstance(text, ArticleInput):
        yield text
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(text.splitlines(), origin)
    elif suffix == ".json":
        yield from read_json(text, origin)
    elif suffix == ".csv":
        yield from read_csv(io.StringIO(text, newline=""), origin)
    else:
        yield from_text(text, origin=origin)


def read_directory(path: str | Path) -> Iterator[ArticleInput]:
    """Every article and table under a folder, recursively, in a stable (sorted) order; hidden
    files and folders are skipped."""
    root = Path(path)
    for file in sorted(root.rglob("*")):
        relative = file.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if file.is_file() and file.suffix.lower() in DIRECTORY_SUFFIXES:
            yield from read_file(file)


def read_stdin(stream: IO[bytes] | None = None, fmt: StdinFormat = "text") -> Iterator[ArticleInput]:
    """Standard input as one article (`text`), or as a JSONL or CSV table."""
    data = (stream or sys.stdin.buffer).read()
    text = _decoded(data, "stdin")
    if isinstance(text, ArticleInput):
        yield text
    elif fmt == "jsonl":
        yield from read_jsonl(text.splitlines(), "stdin")
    elif fmt == "csv":
        yield from read_csv(io.StringIO(text, newline=""), "stdin")
    else:
        yield from_text(text, origin="stdin")


def read_url_list(path: str | Path) -> Iterator[ArticleInput]:
    """A file with one URL per line (blank lines and # comments are skipped)."""
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield from_url(line, origin=f"{path}:{number}")


def iter_inputs(
    sources: Iterable[str | Path],
    *,
    stdin: IO[bytes] | None = None,
    stdin_format: StdinFormat = "text",
) -> Iterator[ArticleInput]:
    """Articles from each source in turn: `-` (stdin), a URL, a folder, or a file."""
    for source in sources:
        name = str(source)
        if name == "-":
            yield from read_stdin(stdin, stdin_format)
        elif isinstance(source, str) and is_url(source):
            yield from_url(source)
        elif Path(name).is_dir():
            yield from read_directory(name)
        elif Path(name).exists():
            yield from read_file(name)
        else:
            yield ArticleInput(
                id=article_id(url=f"file:{name}"),
                origin=_printable(name),
                problem=f"{_printable(name)} is not a file, a folder or an http(s) URL",
            )
