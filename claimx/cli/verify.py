"""`claimx verify`: record a verdict on a stored claim, as a new dated record beside it."""

from __future__ import annotations

from pathlib import Path

import click

from claimx import errors
from claimx.cli.options import CONTEXT, db_option
from claimx.cli.render import fail
from claimx.result import Verdict
from claimx.store import open_store


@click.command("verify", context_settings=CONTEXT)
@click.argument("claim_id")
@db_option
@click.option(
    "--verdict", required=True, type=click.Choice([v.value for v in Verdict]), help="Your finding about the claim."
)
@click.option("--by", required=True, help="Who reached the verdict (a person or an organisation).")
@click.option("--evidence", multiple=True, metavar="URL", help="A source supporting the verdict. Repeatable.")
@click.option("--note", help="A short explanation.")
def verify_command(
    *, claim_id: str, db: Path, verdict: str, by: str, evidence: tuple[str, ...], note: str | None
) -> None:
    """Record a verdict on a claim. The claim itself is never changed: the verdict is a separate,
    dated record, and the latest one is what `show`, `claims` and the exports report.

    CLAIM_ID may be a unique prefix (4+ characters). The record is printed as JSON.

    Exit status: 0 recorded, 1 unknown or ambiguous claim, or an invalid record, 2 bad arguments or no
    store at --db.

    \b
    Examples:
      claimx verify 9c1e0b2a7d4f --verdict false --by "Jane Doe" \\
          --evidence https://example.org/debunk --note "Base was empty that week"
    """
    try:
        with open_store(db, create=False) as store:
            record = store.verify(
                store.resolve_claim(claim_id), verdict=verdict, by=by, evidence=list(evidence), note=note
            )
    except errors.ClaimxError as exc:
        raise fail(exc) from exc
    except ValueError as exc:  # the record does not validate (a blank --by)
        raise click.ClickException(str(exc)) from exc
    click.echo(record.model_dump_json())
