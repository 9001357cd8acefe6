"""`claimx entities`: the canonical entities behind the store's names; `merge` and `split` record decisions."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from claimx import errors
from claimx.cli.options import CONTEXT, db_option
from claimx.cli.render import err, fail
from claimx.corpus import aliases, link
from claimx.result import ClaimantKind
from claimx.store import open_store
from claimx.store.formats import write_rows
from claimx.store.links import Decision


@click.group("entities", context_settings=CONTEXT, invoke_without_command=True)
@db_option
@click.option(
    "--aliases",
    "alias_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Load this alias file (CSV: canonical,aliases,kind,external_id with aliases separated by ';'; or YAML, "
    "needs pip install 'claimx[yaml]') in place of the one loaded before; it seeds and overrides resolution.",
)
@click.option("--kind", type=click.Choice([k.value for k in ClaimantKind]), help="Only entities of this kind.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@click.pass_context
def entities_group(ctx: click.Context, db: Path, alias_file: Path | None, kind: str | None, fmt: str) -> None:
    """List the entities the store's claims name, each with every surface form used for it.

    Names are resolved within each article first (short forms, "Full Name (ACR)" definitions), then across
    the store (case and transliteration variants, aliases, initialisms, short forms of one longer name, close
    spellings; claimant kinds must agree). Listing re-links the store and saves the result. `merge` and
    `split` record a person's decision, which holds on every later run.

    Exit status: 0 listed or recorded, 1 a store that cannot be read, 2 bad arguments, an unreadable alias
    file, an unknown surface form or no store at --db.

    \b
    Examples:
      claimx entities --aliases aliases.csv --kind armed_group
      claimx entities merge "the Iraqi Resistance" "Islamic Resistance in Iraq"
      claimx entities split "the Resistance"
    """
    ctx.obj = db
    if ctx.invoked_subcommand:
        return
    try:
        with open_store(db, create=False) as store:
            if alias_file:
                store.set_aliases(aliases.load(alias_file))
            found = link(store).entities
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    shown = [e for e in found if not kind or e.kind == kind]
    if not shown:
        err.print("no entities" + (f" of kind {kind}" if kind else "") + ": the store has no named claims yet")
    if fmt == "table":
        table = Table("entity", "name", "kind", "external id", "surface forms (mentions)")
        for e in shown:
            forms = "; ".join(f"{form} ({n})" for form, n in e.forms)
            table.add_row(e.id, e.name, e.kind, e.external_id or "", forms)
        Console().print(table)
        return
    rows = [{"id": e.id, "name": e.name, "kind": e.kind, "external_id": e.external_id} for e in shown]
    if fmt == "jsonl":
        for row, e in zip(rows, shown, strict=True):
            click.echo(json.dumps({**row, "forms": dict(e.forms)}, ensure_ascii=False))
    else:
        flat = [{**row, "forms": [f"{f} ({n})" for f, n in e.forms]} for row, e in zip(rows, shown, strict=True)]
        write_rows(flat, ("id", "name", "kind", "external_id", "forms"), None)


def _decide(db: Path, decision: Decision) -> None:
    try:
        with open_store(db, create=False) as store:
            store.decide(decision)
    except errors.StoreNotFoundError as exc:
        raise fail(exc) from exc
    except errors.StoreError as exc:
        raise click.UsageError(str(exc)) from exc
    err.print(
        f"recorded: {decision.action} {decision.form!r}" + (f" with {decision.other!r}" if decision.other else "")
    )


@entities_group.command("merge", context_settings=CONTEXT)
@click.argument("form")
@click.argument("other")
@click.pass_obj
def merge_command(db: Path, form: str, other: str) -> None:
    """Make the entities of two surface forms one, on every later run.

    Exit status: 0 recorded, 2 a form `claimx entities` does not list, or no store at --db.

    \b
    Example:
      claimx entities merge "FMLN" "Farabundo Marti National Liberation Front"
    """
    _decide(db, Decision("merge", form, other))


@entities_group.command("split", context_settings=CONTEXT)
@click.argument("form")
@click.pass_obj
def split_command(db: Path, form: str) -> None:
    """Make a surface form an entity of its own, on every later run (undoing earlier merges of it).

    Exit status: 0 recorded, 2 a form `claimx entities` does not list, or no store at --db.

    \b
    Example:
      claimx entities split "the Resistance"
    """
    _decide(db, Decision("split", form))
