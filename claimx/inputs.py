"""Where articles come from: files, directories, stdin, JSONL/CSV/JSON tables, and URLs.

Every source becomes `ArticleInput` records with a stable id (the one given, else a hash of the
text or URL), so a batch can be interrupted and resumed. A record that cannot be used (a row with
neither text nor url, an unreadable file, a non-http URL) still comes out, with `problem` saying
why, so the batch records it as failed and goes on with the rest.

    >>> from claimx.inputs import iter_inputs
    >>> for article in iter_inputs(["articles/", "feed.jsonl", "https://example.org/news/1"]):
    ...     print(article.id, article.origin, article.problem)
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import urlsplit

import httpx

from claimx.errors import InputError
from claimx.extraction.text import decode
from claimx.version import __version__

ARTICLE_SUFFIXES = frozenset({".txt", ".html", ".htm", ".md"})
TABLE_SUFFIXES = frozenset({".json", ".jsonl", ".csv"})
DIRECTORY_SUFFIXES = ARTICLE_SUFFIXES | TABLE_SUFFIXES
COLUMNS = ("id", "text", "published", "publisher", "url")
ID_LENGTH = 16
MAX_FETCH_BYTES = 5_000_000
FETCH_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
StdinFormat = Literal["text", "jsonl", "csv"]


class FetchError(InputError):
    """A URL could not be fetched or held no article text; the other articles go on."""


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
    """A stable id: the first 16 hex digits of the sha256 of the text, else of the URL."""
    basis = text if text is not None else url
    if basis is None:
        raise ValueError("an article id needs text or a url")
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:ID_LENGTH]


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


def _url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}: {url}"
    if not parts.netloc:
        return f"the URL has no host: {url}"
    return None


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
    return ArticleInput(
        id=id or article_id(text=text),
        text=text,
        url=url,
        published=parse_date(published),
        publisher=publisher,
        origin=origin,
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
    return ArticleInput(
        id=id or article_id(url=url),
        url=url,
        published=parse_date(published),
        publisher=publisher,
        origin=origin or url,
        problem=_url_problem(url),
    )


def from_record(record: object, origin: str) -> ArticleInput:
    """A row with columns id, text, published, publisher, url (text or url required); a JSON line
    that is not an object becomes a record with a problem."""
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
    fallback = given or article_id(text=json.dumps(row, sort_keys=True, default=str))
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
            publisher=publisher.strip() if publisher else None,
            origin=origin,
        )
    assert url is not None
    return from_url(
        url, id=given, published=published, publisher=publisher.strip() if publisher else None, origin=origin
    )


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
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ArticleInput(
            id=article_id(url=f"file:{path}"), origin=origin, problem=f"cannot read {path}: {exc.strerror or exc}"
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
                origin=name,
                problem=f"{name} is not a file, a folder or an http(s) URL",
            )


@dataclass(frozen=True)
class Page:
    """A fetched web page reduced to article text, with what trafilatura found about it."""

    url: str
    text: str
    published: date | None
    publisher: str | None


USER_AGENT = f"claimx/{__version__} (article claim extraction)"


def _clean_page(url: str, body: bytes, content_type: str) -> Page:
    import trafilatura

    if "text/plain" in content_type:
        try:
            return Page(url, decode(body), None, None)
        except InputError as exc:
            raise FetchError(f"{url}: {exc}") from exc
    document = trafilatura.bare_extraction(
        body,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_recall=True,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise FetchError(f"{url}: no article text found in the page")
    published = None
    with contextlib.suppress(ValueError):
        published = parse_date(getattr(document, "date", None))
    return Page(url, text, published, getattr(document, "sitename", None) or None)


async def afetch(
    url: str,
    *,
    client: httpx.AsyncClient | None = None,
    timeout: httpx.Timeout | float = FETCH_TIMEOUT,
    max_bytes: int = MAX_FETCH_BYTES,
) -> Page:
    """Fetch one http(s) page (redirects followed, at most `max_bytes`) and reduce it to text with
    trafilatura. Every failure is a `FetchError` whose message names the URL and the reason."""
    if problem := _url_problem(url):
        raise FetchError(problem)
    own = client is None
    client = client or httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, follow_redirects=True)
    try:
        async with client.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
            content_type = response.headers.get("content-type", "").lower()
            if content_type and not any(kind in content_type for kind in ("html", "xml", "text/plain")):
                raise FetchError(f"{url}: not a web page ({content_type.split(';')[0]})")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: the page is {int(declared):,} bytes, above the limit of {max_bytes:,} bytes")
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: the page is larger than the limit of {max_bytes:,} bytes")
                chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: timed out ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc or 'request failed'}") from exc
    finally:
        if own:
            await client.aclose()
    return await asyncio.to_thread(_clean_page, url, b"".join(chunks), content_type)


def fetch(url: str, **kwargs: Any) -> Page:
    """Synchronous `afetch`."""
    return asyncio.run(afetch(url, **kwargs))


def new_client() -> httpx.AsyncClient:
    """The client a batch shares for its URL fetches."""
    return httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, follow_redirects=True, timeout=FETCH_TIMEOUT)
