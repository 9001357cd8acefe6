"""A review page: one self-contained HTML file that shows each claim on the article text it came from.

The article and everything the model wrote are untrusted, so the page is built to be inert: every
string is escaped with `html.escape`, data for the script travels as JSON with `<`, `>` and `&`
escaped, the script only ever sets `textContent`, and a Content-Security-Policy allows no network
access and no script but the page's own (pinned by its sha256). The file can be opened from disk,
mailed or archived without a server.

Only evidence that claimx located exactly or after normalisation is highlighted; a claim without
such evidence is listed beside the text ("not grounded"), never dropped, and a fuzzy match is shown
as a hint with its mismatched tokens, not as a highlight.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise
from pathlib import Path

from claimx.result import GroundingStatus
from claimx.result import Claim, Evidence, Result, Stance

__all__ = ["render_article", "render_batch", "write_report"]

STANCE_LABELS: dict[Stance, str] = {
    Stance.ASSERTED: "asserted",
    Stance.CLAIMED_RESPONSIBILITY: "claimed responsibility",
    Stance.REPORTED: "reported",
    Stance.DENIED: "denied",
    Stance.ALLEGED: "alleged",
    Stance.THREATENED: "threatened",
}
STANCE_COLOURS: dict[Stance, str] = {
    Stance.ASSERTED: "#cfe3ff",
    Stance.CLAIMED_RESPONSIBILITY: "#ffd5a8",
    Stance.REPORTED: "#d3efc8",
    Stance.DENIED: "#ffc7c7",
    Stance.ALLEGED: "#e4d3ff",
    Stance.THREATENED: "#fff09a",
}
_SAFE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
_NO_SOURCE = "(no source)"


def _e(value: object) -> str:
    """Escape for both text nodes and quoted attributes."""
    return escape("" if value is None else str(value), quote=True)


def _json_for_script(data: object) -> str:
    """JSON that cannot end its <script> element or open a comment/CDATA section inside it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


# ---------------------------------------------------------------------------------------------
# Inline assets. The script is a constant so that the CSP can pin it by hash.

_CSS = """
:root { color-scheme: light; --ink:#1d1d1f; --muted:#5f6368; --line:#d9d9de; --bg:#fafafb; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink);
  background:var(--bg); }
header.page { padding:12px 20px; background:#fff; border-bottom:1px solid var(--line); }
header.page h1 { margin:0; font-size:18px; }
.note { color:var(--muted); font-size:13px; margin:2px 0 0; }
main { padding:12px 20px 40px; }
.doc { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 18px; margin:0 0 24px; }
.batch .doc { display:none; }
.batch .doc:target { display:block; }
.doc > h2 { margin:0 0 4px; font-size:17px; overflow-wrap:anywhere; }
.meta { color:var(--muted); font-size:13px; margin:0; overflow-wrap:anywhere; }
.meta b { color:var(--ink); font-weight:600; }
details.prov { font-size:13px; color:var(--muted); margin:6px 0; }
details.prov dl { display:grid; grid-template-columns:max-content 1fr; gap:0 12px; margin:4px 0; }
details.prov dt { font-weight:600; } details.prov dd { margin:0; overflow-wrap:anywhere; }
.warnings { border:1px solid #e8c46a; background:#fff8e1; border-radius:6px; padding:6px 12px; margin:10px 0; }
.warnings h3 { margin:0; font-size:14px; } .warnings ul { margin:4px 0; padding-left:20px; font-size:13px; }
.warnings code, .card code { font-size:12px; background:#f1f1f4; padding:0 3px; border-radius:3px; }
.filters { display:flex; flex-wrap:wrap; gap:6px 16px; align-items:center; padding:8px 0; margin:8px 0;
  border-top:1px solid var(--line); border-bottom:1px solid var(--line); font-size:13px; }
.filters fieldset { border:0; margin:0; padding:0; display:flex; flex-wrap:wrap; gap:4px 8px; align-items:center; }
.filters legend { float:left; margin-right:6px; font-weight:600; padding:0; }
.filters label { white-space:nowrap; }
.filters select { max-width:260px; }
.swatch { display:inline-block; padding:0 5px; border-radius:3px; }
.f-count { color:var(--muted); margin-left:auto; }
.layout { display:grid; grid-template-columns:minmax(0,3fr) minmax(300px,2fr); gap:20px; align-items:start; }
@media (max-width: 900px) { .layout { grid-template-columns:1fr; } }
.text { white-space:pre-wrap; overflow-wrap:anywhere; font:16px/1.7 Georgia, "Times New Roman", serif; margin:0; }
.seg.hl { border-radius:2px; cursor:pointer; }
.seg.hl.multi { box-shadow: inset 0 -3px 0 rgba(0,0,0,.55); }
.seg.hl.sel { outline:2px solid #1a57c9; outline-offset:1px; }
.seg.hl:focus-visible { outline:2px dashed #1a57c9; }
.seg[data-mark]::before { content:attr(data-mark); font:600 10px/1 system-ui, sans-serif; vertical-align:super;
  color:#fff; background:#444; border-radius:3px; padding:1px 3px; margin-right:2px; }
SWATCHES
.side { position:sticky; top:8px; max-height:calc(100vh - 16px); overflow:auto; font-size:14px; }
.side h3 { font-size:14px; margin:12px 0 6px; }
.side h3:first-child { margin-top:0; }
.selected { border:1px solid var(--line); border-radius:6px; padding:8px; background:#fcfcfd; }
.selected .hint { color:var(--muted); margin:0; }
.card { border:1px solid var(--line); border-left:6px solid #999; border-radius:6px; padding:6px 10px;
  margin:0 0 8px; background:#fff; }
.card[hidden] { display:none; }
.card .head { display:flex; gap:6px; align-items:baseline; flex-wrap:wrap; }
.card .num { font-weight:700; }
.card .chain { font-weight:600; overflow-wrap:anywhere; }
.card .stance { font-size:12px; padding:0 6px; border-radius:10px; }
.card dl { display:grid; grid-template-columns:max-content 1fr; gap:0 10px; margin:4px 0; }
.card dt { color:var(--muted); } .card dd { margin:0; overflow-wrap:anywhere; }
.card ul.ev { margin:4px 0; padding-left:18px; }
.card q { font-style:italic; }
.st { font-size:12px; font-weight:600; padding:0 4px; border-radius:3px; }
.st-exact { background:#d7f5dd; } .st-normalised { background:#e3f0d0; }
.st-fuzzy { background:#ffe7b3; } .st-not_found { background:#f6c9c9; }
.ver { margin:4px 0 0; font-size:13px; }
.ver.unverified { color:#8a4b00; font-weight:600; }
.card .cid { color:var(--muted); font-size:11px; }
.empty { color:var(--muted); font-style:italic; }
table.index { border-collapse:collapse; width:100%; background:#fff; font-size:14px; margin-bottom:20px; }
table.index th, table.index td { border:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
table.index td.n { text-align:right; font-variant-numeric:tabular-nums; }
table.index th { background:#f3f3f6; }
.back { font-size:13px; }
"""


def _css() -> str:
    swatches = "\n".join(
        f'.seg.hl[data-stance="{s.value}"], .sw-{s.value} {{ background:{c}; }}\n'
        f'.card[data-stance="{s.value}"] {{ border-left-color:{c}; }}'
        for s, c in STANCE_COLOURS.items()
    )
    return _CSS.replace("SWATCHES", swatches)


_SCRIPT = r"""
(function () {
  "use strict";
  function setup(doc) {
    var dataEl = doc.querySelector("script.claimx-data");
    if (!dataEl) { return; }
    var data = JSON.parse(dataEl.textContent);
    var claims = data.claims;
    var colours = data.colours || {};
    var keys = Object.keys(claims);
    var cards = new Map();
    doc.querySelectorAll(".lists .card").forEach(function (card) { cards.set(card.dataset.key, card); });
    var segs = Array.prototype.slice.call(doc.querySelectorAll(".seg"));
    var panel = doc.querySelector(".selected");
    var claimantSel = doc.querySelector("select.f-claimant");
    var stanceBoxes = Array.prototype.slice.call(doc.querySelectorAll("input.f-stance"));
    var groundedBox = doc.querySelector("input.f-grounded");
    var countEl = doc.querySelector(".f-count");
    var visible = new Set(keys);
    var selected = [];

    function words(value) { return (value || "").split(" ").filter(function (k) { return k !== ""; }); }
    function shown(list) { return list.filter(function (k) { return visible.has(k); }); }

    function paint(seg) {
      var here = shown(words(seg.dataset.claims));
      seg.classList.toggle("hl", here.length > 0);
      seg.classList.toggle("multi", here.length > 1);
      seg.classList.toggle("sel", here.some(function (k) { return selected.indexOf(k) !== -1; }));
      var kinds = [];
      here.forEach(function (k) { if (kinds.indexOf(claims[k].stance) === -1) { kinds.push(claims[k].stance); } });
      if (kinds.length > 1) {
        var step = 100 / kinds.length;
        seg.style.backgroundImage = "linear-gradient(180deg, " + kinds.map(function (st, i) {
          var colour = colours[st] || "#ddd";
          return colour + " " + (i * step) + "% " + ((i + 1) * step) + "%";
        }).join(", ") + ")";
      } else {
        seg.style.backgroundImage = "";
      }
      if (here.length > 0) {
        seg.dataset.stance = claims[here[0]].stance;
        seg.dataset.active = here.join(" ");
        seg.title = here.map(function (k) { return claims[k].summary; }).join("\n\n");
        seg.tabIndex = 0;
        seg.setAttribute("role", "button");
      } else {
        delete seg.dataset.stance;
        delete seg.dataset.active;
        seg.removeAttribute("title");
        seg.removeAttribute("tabindex");
        seg.removeAttribute("role");
      }
      var starts = shown(words(seg.dataset.starts));
      if (starts.length > 0) {
        seg.dataset.mark = starts.map(function (k) { return String(claims[k].n); }).join(",");
      } else {
        delete seg.dataset.mark;
      }
    }

    function showSelected() {
      if (!panel) { return; }
      var list = shown(selected);
      var nodes = [];
      var title = document.createElement("h3");
      if (list.length === 0) {
        title.textContent = "Selected";
        var hint = document.createElement("p");
        hint.className = "hint";
        hint.textContent = selected.length > 0
          ? "The selected claims are hidden by the filters."
          : "Click a highlighted passage (or a claim below) to see the claims it carries.";
        nodes.push(title, hint);
      } else {
        title.textContent = list.length === 1 ? "Selected claim" : list.length + " claims on this passage";
        nodes.push(title);
        list.forEach(function (k) {
          var card = cards.get(k);
          if (card) {
            var copy = card.cloneNode(true);
            copy.hidden = false;
            copy.classList.add("copy");
            nodes.push(copy);
          }
        });
      }
      panel.replaceChildren.apply(panel, nodes);
    }

    function apply() {
      var group = claimantSel ? claimantSel.value : "";
      var stances = new Set();
      stanceBoxes.forEach(function (box) { if (box.checked) { stances.add(box.value); } });
      var groundedOnly = groundedBox ? groundedBox.checked : false;
      visible = new Set();
      keys.forEach(function (k) {
        var c = claims[k];
        var ok = (group === "" || String(c.group) === group) && stances.has(c.stance) && (!groundedOnly || c.grounded);
        if (ok) { visible.add(k); }
        var card = cards.get(k);
        if (card) { card.hidden = !ok; }
      });
      segs.forEach(paint);
      doc.querySelectorAll(".lists .cards").forEach(function (box) {
        var any = Array.prototype.some.call(box.querySelectorAll(".card"), function (c) { return !c.hidden; });
        var note = box.querySelector(".filtered-out");
        if (note) { note.hidden = any || box.querySelectorAll(".card").length === 0; }
      });
      if (countEl) { countEl.textContent = visible.size + " of " + keys.length + " claims shown"; }
      showSelected();
    }

    function select(list) {
      selected = list;
      segs.forEach(paint);
      showSelected();
    }

    doc.addEventListener("click", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (!target) { return; }
      var seg = target.closest(".seg.hl");
      if (seg && doc.contains(seg)) {
        select(shown(words(seg.dataset.claims)));
        return;
      }
      var card = target.closest(".lists .card");
      if (card && doc.contains(card)) {
        select([card.dataset.key]);
        var first = segs.find(function (s) { return s.classList.contains("sel"); });
        if (first && first.scrollIntoView) { first.scrollIntoView({ block: "center" }); }
      }
    });
    doc.addEventListener("keydown", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (target && target.matches(".seg.hl") && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        select(shown(words(target.dataset.claims)));
      }
    });
    [claimantSel, groundedBox].concat(stanceBoxes).forEach(function (el) {
      if (el) { el.addEventListener("change", apply); }
    });
    apply();
  }
  document.querySelectorAll("section.doc").forEach(setup);
  document.documentElement.dataset.ready = "1";
})();
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; img-src 'none'; base-uri 'none'; form-action 'none'"
)


# ---------------------------------------------------------------------------------------------
# Model of one article's page.


@dataclass
class _Item:
    """A claim as the page shows it: a DOM-safe key, its number and its located spans."""

    claim: Claim
    key: str
    n: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    group: int = 0

    @property
    def located(self) -> bool:
        return bool(self.spans)


def _span(evidence: Evidence, text: str) -> tuple[int, int] | None:
    """Offsets usable for highlighting: grounded evidence inside the text. Offsets out of range
    (a hand-edited or corrupted result) are treated as not located rather than trusted."""
    start, end = evidence.start, evidence.end
    if start is None or end is None or not (0 <= start < end <= len(text)):
        return None
    return (start, end)


def _items(result: Result) -> list[_Item]:
    """Give every claim a key that is safe inside a space-separated attribute: its id when the id is
    a plain token and unique in the article, otherwise a generated one."""
    text = result.article.text
    used: set[str] = set()
    items: list[_Item] = []
    for n, claim in enumerate(result.claims, 1):
        key = claim.id if _SAFE_KEY.fullmatch(claim.id) and claim.id not in used else f"claim-{n}"
        while key in used:
            key += "_"
        used.add(key)
        spans = [s for e in claim.evidence if e.status.grounded and (s := _span(e, text)) is not None]
        items.append(_Item(claim=claim, key=key, n=n, spans=sorted(set(spans))))
    groups = {label: i for i, label in enumerate(sorted({_claimant(it.claim) for it in items}, key=str.casefold))}
    for it in items:
        it.group = groups[_claimant(it.claim)]
    return items


def _claimant(claim: Claim) -> str:
    return claim.claimant.strip() if claim.claimant and claim.claimant.strip() else _NO_SOURCE


@dataclass(frozen=True)
class Segment:
    """A run of article text between two span boundaries and the claims (keys) covering all of it."""

    start: int
    end: int
    claims: tuple[str, ...]
    starts: tuple[str, ...]


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Cut the text at every span boundary, so overlapping and nested spans never interleave tags:
    each segment carries the set of claims that cover it, in claim order."""
    bounds = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Segment] = []
    for a, b in pairwise(bounds):
        covering = tuple(dict.fromkeys(k for s, e, k in spans if s <= a and b <= e))
        starting = tuple(dict.fromkeys(k for s, _, k in spans if s == a))
        out.append(Segment(a, b, covering, starting))
    return out


# ---------------------------------------------------------------------------------------------
# HTML pieces. Every interpolated value goes through _e().


def _summary(it: _Item, result: Result) -> str:
    """Plain text for a highlight's tooltip (set as `title` by the script, never parsed as HTML)."""
    c = it.claim
    parts = [f"#{it.n} {c.chain} — {STANCE_LABELS[c.stance]}"]
    for label, value in (("actor", c.actor), ("target", c.target), ("method", ", ".join(c.method)),
                         ("outcome (as claimed)", c.outcome), ("when", c.event_date or c.time_text)):
        if value:
            parts.append(f"{label}: {value}")
    verification = result.verification_of(c.id)
    parts.append(f"verdict: {verification.verdict.value} by {verification.by}" if verification else "unverified")
    return "\n".join(parts)


def _evidence_html(evidence: Evidence, text: str) -> str:
    status = evidence.status
    where = _span(evidence, text)
    if status is GroundingStatus.EXACT:
        note = f"found exactly at {where[0]}–{where[1]}" if where else "marked exact, but its offsets are invalid"
    elif status is GroundingStatus.NORMALISED:
        note = (f"found at {where[0]}–{where[1]} after folding case, quote marks, dashes or spaces" if where
                else "marked normalised, but its offsets are invalid")
    elif status is GroundingStatus.FUZZY:
        note = "not found as written; nearest passage is only a hint"
        if where:
            note += f": “{text[where[0]:where[1]]}”"
        if evidence.mismatches:
            note += " — differs: " + " ".join(evidence.mismatches)
    else:
        note = "not found in the article"
    return (f'<li><q>{_e(evidence.quote)}</q> <span class="st st-{_e(status.value)}">{_e(status.value)}</span> '
            f'<span class="evnote">{_e(note)}</span></li>')


def _card(it: _Item, result: Result) -> str:
    c = it.claim
    text = result.article.text
    rows = [("kind", c.claimant_kind.value.replace("_", " ")), ("actor", c.actor), ("target", c.target),
            ("method", ", ".join(c.method)), ("outcome (as claimed)", c.outcome), ("time", c.time_text),
            ("date", c.event_date), ("place", c.place)]
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows if v)
    evidence = "".join(_evidence_html(e, text) for e in c.evidence) or '<li class="empty">no evidence quoted</li>'
    verification = result.verification_of(c.id)
    if verification is None:
        ver = '<p class="ver unverified">Unverified: this is the claimant’s assertion, not a checked fact.</p>'
    else:
        bits = [f"Verdict: <b>{_e(verification.verdict.value.replace('_', ' '))}</b>",
                f"by {_e(verification.by)}", f"at {_e(verification.at.isoformat(timespec='minutes'))}"]
        ver = '<p class="ver verified">' + ", ".join(bits) + "</p>"
        if verification.note:
            ver += f'<p class="ver">Note: {_e(verification.note)}</p>'
        if verification.evidence:
            refs = "".join(f"<li>{_e(ref)}</li>" for ref in verification.evidence)
            ver += f'<ul class="ver refs">{refs}</ul>'
    located = "" if it.located else ' <span class="st st-not_found">ungrounded</span>'
    return (
        f'<article class="card" data-key="{_e(it.key)}" data-stance="{_e(c.stance.value)}" '
        f'data-grounded="{"true" if it.located else "false"}">'
        f'<div class="head"><span class="num">#{it.n}</span> <span class="chain">{_e(c.chain)}</span> '
        f'<span class="stance sw-{_e(c.stance.value)}">{_e(STANCE_LABELS[c.stance])}</span>{located}</div>'
        f"<dl>{dl}</dl><ul class=\"ev\">{evidence}</ul>{ver}"
        f'<div class="cid">id <code>{_e(c.id)}</code></div></article>'
    )


def _text_html(result: Result, items: list[_Item]) -> str:
    """The article as segments. The markup is already in the "everything shown" state that the script
    maintains under filtering, so the page reads the same before (or without) the script."""
    text = result.article.text
    by_key = {it.key: it for it in items}
    spans = [(s, e, it.key) for it in items for s, e in it.spans]
    out = []
    for seg in segments(text, spans):
        chunk = _e(text[seg.start:seg.end])
        if not seg.claims:
            out.append(chunk)
            continue
        first = by_key[seg.claims[0]].claim
        tooltip = "\n\n".join(_summary(by_key[k], result) for k in seg.claims)
        attrs = (f'class="seg hl{" multi" if len(seg.claims) > 1 else ""}" data-claims="{_e(" ".join(seg.claims))}" '
                 f'data-stance="{_e(first.stance.value)}" tabindex="0" role="button" '
                 f'title="{_e(tooltip)}"')
        if seg.starts:
            attrs += (f' data-starts="{_e(" ".join(seg.starts))}"'
                      f' data-mark="{_e(",".join(str(by_key[k].n) for k in seg.starts))}"')
        out.append(f"<span {attrs}>{chunk}</span>")
    return "".join(out)


def _filters(items: list[_Item], prefix: str) -> str:
    groups = Counter(_claimant(it.claim) for it in items)
    labels = sorted(groups, key=str.casefold)
    options = "".join(f'<option value="{i}">{_e(label)} ({groups[label]})</option>' for i, label in enumerate(labels))
    stances = Counter(it.claim.stance for it in items)
    boxes = "".join(
        f'<label class="swatch sw-{s.value}"><input type="checkbox" class="f-stance" value="{s.value}" checked> '
        f"{_e(label)} ({stances.get(s, 0)})</label>"
        for s, label in STANCE_LABELS.items()
    )
    return (
        f'<div class="filters" role="group" aria-label="Filters">'
        f'<label for="{prefix}-claimant">Claimant</label> '
        f'<select id="{prefix}-claimant" class="f-claimant"><option value="">all claimants</option>{options}</select>'
        f"<fieldset><legend>Stance</legend>{boxes}</fieldset>"
        f'<label><input type="checkbox" class="f-grounded"> grounded only</label>'
        f'<span class="f-count">{len(items)} of {len(items)} claims shown</span></div>'
    )


def _title(result: Result) -> str:
    first = next((line.strip() for line in result.article.text.splitlines() if line.strip()), "")
    return (first[:117] + "…") if len(first) > 120 else (first or "(empty article)")


def _warnings_html(result: Result) -> str:
    if not result.warnings:
        return ""
    rows = []
    for w in result.warnings:
        row = f"<li><code>{_e(w.code)}</code> {_e(w.message)}"
        if w.claim_id:
            row += f" (claim <code>{_e(w.claim_id)}</code>)"
        if w.detail:
            row += f" — {_e(w.detail)}"
        rows.append(row + "</li>")
    return (f'<section class="warnings" aria-label="Warnings"><h3>{len(result.warnings)} warning(s)</h3>'
            f"<ul>{''.join(rows)}</ul></section>")


def _provenance_html(result: Result) -> str:
    p, u = result.provenance, result.usage
    rows = [("model", p.model), ("endpoint", p.base_url), ("strategy", p.strategy),
            ("claimx", p.claimx_version), ("started", p.started_at.isoformat(timespec="seconds")),
            ("took", f"{p.seconds:.1f} s"),
            ("usage", (f"{u.llm_calls} LLM call(s), {u.reasks} re-ask(s), {u.prompt_tokens} prompt + "
                       f"{u.completion_tokens} completion tokens")),
            ("schema", p.schema_hash)]
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    return f'<details class="prov"><summary>How this was made</summary><dl>{dl}</dl></details>'


def _article_section(result: Result, index: int, batch: bool) -> str:
    items = _items(result)
    prefix = f"article-{index}"
    located = [it for it in items if it.located]
    unlocated = [it for it in items if not it.located]
    a = result.article
    meta = [f"<b>{len(items)}</b> claim(s)", f"<b>{len(located)}</b> grounded in the text"]
    if a.publisher:
        meta.insert(0, _e(a.publisher))
    if a.published:
        meta.insert(1 if a.publisher else 0, _e(a.published.isoformat()))
    meta.append(f"sha256 <code>{_e(a.sha256[:12])}</code>")
    data = {"colours": {s.value: c for s, c in STANCE_COLOURS.items()}, "claims": {it.key: {"id": it.claim.id, "n": it.n, "stance": it.claim.stance.value, "group": it.group,
                                 "grounded": it.located, "summary": _summary(it, result)} for it in items}}
    if items:
        cards_in = "".join(_card(it, result) for it in located) or '<p class="empty">None.</p>'
        cards_out = "".join(_card(it, result) for it in unlocated) or '<p class="empty">None.</p>'
        lists = (
            f'<h3>Grounded in the text ({len(located)})</h3><div class="cards">{cards_in}'
            f'<p class="empty filtered-out" hidden>All hidden by the filters.</p></div>'
            f'<h3>Not grounded ({len(unlocated)})</h3>'
            f'<p class="note">No quote was found exactly or after normalisation; check these by hand.</p>'
            f'<div class="cards">{cards_out}<p class="empty filtered-out" hidden>All hidden by the filters.</p></div>'
        )
    else:
        lists = '<p class="no-claims">No claims were extracted from this article.</p>'
    back = '<p class="back"><a href="#index">↑ back to the index</a></p>' if batch else ""
    return (
        f'<section class="doc" id="{prefix}" aria-label="Article {index}">{back}'
        f"<h2>{_e(_title(result))}</h2><p class=\"meta\">{' · '.join(meta)}</p>"
        f"{_provenance_html(result)}{_warnings_html(result)}"
        f"{_filters(items, prefix) if items else ''}"
        f'<div class="layout"><div class="text" lang="">{_text_html(result, items)}</div>'
        f'<aside class="side"><div class="selected" aria-live="polite"><h3>Selected</h3><p class="hint">'
        f"Click a highlighted passage (or a claim below) to see the claims it carries.</p></div>"
        f'<div class="lists">{lists}</div></aside></div>'
        f'<script type="application/json" class="claimx-data">{_json_for_script(data)}</script></section>'
    )


def _document(title: str, body: str, *, batch: bool) -> str:
    legend = " ".join(f'<span class="swatch sw-{s.value}">{_e(label)}</span>' for s, label in STANCE_LABELS.items())
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_css()}</style></head>"
        f'<body class="{"batch" if batch else "single"}"><header class="page"><h1>{_e(title)}</h1>'
        f'<p class="note">Every claim is somebody’s assertion, not a verified fact. Highlights by stance: {legend}. '
        "Underlined passages carry more than one claim.</p></header>"
        f"<main>{body}</main><script>{_SCRIPT}</script></body></html>\n"
    )


# ---------------------------------------------------------------------------------------------
# Public API.


def render_article(result: Result) -> str:
    """One article's review page: the text with highlighted evidence, claim cards and filters."""
    return _document(f"claimx review — {_title(result)}", _article_section(result, 1, batch=False), batch=False)


def render_batch(results: list[Result]) -> str:
    """Several articles in one file: an index (claims, grounded share, warnings per article) whose
    entries link to each article's view further down the same page."""
    rows = []
    total_claims = total_located = total_warnings = 0
    for i, result in enumerate(results, 1):
        items = _items(result)
        located = sum(it.located for it in items)
        share = f"{located / len(items):.0%}" if items else "–"
        total_claims += len(items)
        total_located += located
        total_warnings += len(result.warnings)
        a = result.article
        rows.append(
            f'<tr class="entry" data-claims="{len(items)}" data-grounded="{located}" '
            f'data-warnings="{len(result.warnings)}"><td class="n">{i}</td>'
            f'<td><a href="#article-{i}">{_e(_title(result))}</a></td><td>{_e(a.publisher or "")}</td>'
            f'<td>{_e(a.published.isoformat() if a.published else "")}</td>'
            f'<td class="n">{len(items)}</td><td class="n">{located} ({share})</td>'
            f'<td class="n">{len(result.warnings)}</td></tr>'
        )
    share = f"{total_located / total_claims:.0%}" if total_claims else "–"
    table = (
        '<section id="index" aria-label="Index"><table class="index"><thead><tr><th>#</th><th>article</th>'
        "<th>publisher</th><th>published</th><th>claims</th><th>grounded</th><th>warnings</th></tr></thead>"
        f"<tbody>{''.join(rows) or '<tr><td colspan=7 class=empty>No articles.</td></tr>'}</tbody>"
        f'<tfoot><tr><th></th><th>{len(results)} article(s)</th><th></th><th></th><th class="n">{total_claims}</th>'
        f'<th class="n">{total_located} ({share})</th><th class="n">{total_warnings}</th></tr></tfoot></table>'
        '<p class="note">Open an article from the index to review its claims.</p></section>'
    )
    sections = "".join(_article_section(r, i, batch=True) for i, r in enumerate(results, 1))
    return _document(f"claimx review — {len(results)} articles", table + sections, batch=True)


def write_report(results: list[Result], path: Path) -> Path:
    """Write the review page: an article page for one result, an indexed batch page for several."""
    if not results:
        raise ValueError("no results to report")
    html = render_article(results[0]) if len(results) == 1 else render_batch(results)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
