"""`flask import contacts FILE`: the dry run (or with --commit, the import) from the command line,
printing the same report the import page shows."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext

from domain.imports.mapping import field_title, save_mapping
from domain.imports.run import MODES, Plan, Report, commit, dry_run
from models import db


@click.group("import", cls=AppGroup)
def import_group():
    """Import data from files."""


@import_group.command("contacts")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", "mapping_name", help="A saved column mapping; by default guessed from the headers.")
@click.option("--save-mapping", help="Save the mapping used under this name.")
@click.option("--mode", type=click.Choice(MODES), default="add", show_default=True)
@click.option("--encoding", help="The CSV's encoding (utf-8, cp1250, ...); detected by default.")
@click.option("--delimiter", help="The CSV's delimiter (, or ;); detected by default.")
@click.option("--commit", "do_commit", is_flag=True, help="Import the file; without it only a dry run.")
@click.option("--accept-warnings", is_flag=True, help="Import despite duplicate warnings.")
def import_contacts_command(path, mapping_name, save_mapping, mode, encoding, delimiter, do_commit, accept_warnings):
    """Check a CSV or XLSX file of contacts row by row; with --commit import it, all or nothing."""
    plan = Plan(
        path,
        mode,
        mapping_name=mapping_name,
        encoding=encoding,
        delimiter=(delimiter or "").replace("\\t", "\t") or None,
    )
    report = commit(plan, accept_warnings=accept_warnings) if do_commit else dry_run(plan)
    if save_mapping and report.headers and not report.file_errors:
        save_mapping_named(save_mapping, report)
    for line in report_lines(report):
        click.echo(line)
    if report.has_errors or (do_commit and not report.committed):
        raise SystemExit(1)


def save_mapping_named(name: str, report: Report) -> None:
    save_mapping(name, report.headers, report.mapping)
    db.session.commit()


def report_lines(report: Report) -> list[str]:
    """The report as lines of text: the file, the mapping, the counts, then every problem."""
    lines = []
    if report.source is not None:
        source = report.source
        if source.kind == "csv":
            delimiter = "TAB" if source.delimiter == "\t" else source.delimiter
            lines.append(
                gettext(
                    "CSV file, encoding %(encoding)s, delimiter %(delimiter)s",
                    encoding=source.encoding,
                    delimiter=delimiter,
                )
            )
        else:
            lines.append(gettext("XLSX file"))
    ignored = gettext("(ignored)")
    for header, name in zip(report.headers, report.mapping):
        lines.append(f"  {header} → {field_title(name) if name else ignored}")
    lines.extend(report.file_errors)
    if report.file_errors:
        return lines
    lines.append(
        gettext(
            "Rows: %(rows)d, to add: %(added)d, to update: %(updated)d, unchanged: %(unchanged)d, "
            "with errors: %(errors)d, with warnings: %(warnings)d",
            rows=report.rows,
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            errors=report.errors,
            warnings=report.warnings,
        )
    )
    for problem in report.problems:
        kind = gettext("Warning") if problem.warning else gettext("Error")
        lines.append(
            gettext(
                "%(kind)s: row %(row)d, column %(column)s, value “%(value)s”: %(message)s",
                kind=kind,
                row=problem.row,
                column=problem.column,
                value=problem.value,
                message=problem.message,
            )
        )
    if report.committed:
        lines.append(gettext("Imported."))
    elif report.cancelled:
        lines.append(gettext("Cancelled; nothing was imported."))
    elif report.has_errors or report.warnings:
        lines.append(gettext("Nothing was imported."))
    else:
        lines.append(gettext("Dry run: nothing was written. Add --commit to import."))
    return lines
