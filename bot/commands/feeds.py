"""`topicbot feeds list|export|import`: the configured feeds, and OPML in and out."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from bot import exitcodes
from bot.cli_options import add_global_options
from bot.config import Config, default_config_path, load_config, parse_config
from bot.errors import ConfigError
from bot.localtime import COPENHAGEN, OPERATOR_FORMAT, format_local
from bot.plural import plural
from bot.sources.base import SourceState

NAME = "feeds"
HELP = "list the configured feeds, or export/import them as OPML"
DESCRIPTION = """Work with the feeds in config.yaml.

  topicbot feeds list                    name, URL, interval, state of every feed
  topicbot feeds export [-o FILE.opml]   the feeds as OPML 2.0 (stdout by default)
  topicbot feeds import FILE.opml [--dry-run]
                                         add the OPML's feeds whose URL is not configured yet

Import appends the new feeds at the end of the feeds: list in config.yaml, leaving every
other line (and your comments) as it was; the previous file is kept as
config.yaml.YYYYMMDD-HHMMSS.bak and the result is validated before it is written. Names
already in use get " (2)", " (3)", ...
Files with a DOCTYPE or entity declarations are refused (unsafe XML).

Exit codes: 0 done, 1 the OPML file is unreadable, invalid or refused, 2 bad arguments,
3 configuration error."""

LIST_DESCRIPTION = """\
List every configured feed: name, URL, interval, whether it is enabled, and from the
database (when there is one) its last successful poll and last error, in Copenhagen time.
Reads only: the config and the database are not changed.

Exit codes: 0 done, 3 configuration error, 4 the database cannot be read."""

EXPORT_DESCRIPTION = """\
Write the configured feeds as an OPML 2.0 file, for moving them to another reader or
another topicbot. Reads only: the config is not changed.

Exit codes: 0 done, 1 the output file cannot be written, 3 configuration error."""

IMPORT_DESCRIPTION = """\
Add the OPML file's feeds whose URL is not configured yet to the end of the feeds: list in
the config file, leaving every other line (and your comments) as it was. The result is
validated before it is written, and the file it replaces is kept beside it as
config.yaml.YYYYMMDD-HHMMSS.bak (earlier backups are kept too). Names already in use get
" (2)", " (3)", ... Files with a DOCTYPE or entity declarations are refused (unsafe XML).

Exit codes: 0 done (or nothing to add), 1 the OPML file is unreadable, invalid or refused,
2 bad arguments, 3 configuration error (nothing is written)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="feeds_action", metavar="ACTION")

    def action(name: str, help: str, description: str) -> argparse.ArgumentParser:
        p = actions.add_parser(
            name,
            help=help,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        add_global_options(p, suppress=True)  # after the action too, e.g. `feeds list -c X`
        return p

    action("list", "list the configured feeds and their last poll", LIST_DESCRIPTION)
    export = action("export", "write the configured feeds as OPML 2.0", EXPORT_DESCRIPTION)
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    imp = action("import", "add an OPML file's new feeds to config.yaml", IMPORT_DESCRIPTION)
    imp.add_argument("file", type=Path, metavar="FILE.opml", help="the OPML file to read")
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would be added, write nothing"
    )


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "feeds_action", None)
    if action == "list":
        return _list(load_config(args.config))
    if action == "export":
        return _export(load_config(args.config), args.output)
    if action == "import":
        return _import(Path(args.config) if args.config else default_config_path(), args)
    print("topicbot feeds: choose an action: list, export or import (see --help)", file=sys.stderr)
    return exitcodes.USAGE


def _duration(seconds: float) -> str:
    s = int(seconds)
    parts = [(s // 86400, "d"), (s % 86400 // 3600, "h"), (s % 3600 // 60, "m"), (s % 60, "s")]
    return "".join(f"{n}{unit}" for n, unit in parts if n) or "0s"


def _when(dt: datetime | None) -> str:
    return format_local(dt, OPERATOR_FORMAT) if dt else "-"


def _list(config: Config) -> int:
    states = {}
    if config.database_exists():
        from bot.store import Store

        with Store.open_read_only(config.store_url) as store:
            states = store.all_source_states()
    rows = [["name", "url", "interval", "enabled", "last success", "last error"]]
    for f in config.feeds:
        st = states.get(f.name)
        error = "-"
        if st and st.last_error and st.failures:
            error = f"{_when(st.last_error_at)} {st.last_error}"[:70]
        rows.append(
            [
                f.name,
                f.url,
                _duration(f.interval),
                "yes" if f.enabled else "no",
                _when(st.last_success if st else None),
                error,
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        print("  ".join([c.ljust(w) for c, w in zip(r, widths, strict=False)] + [r[-1]]).rstrip())
    for f in config.feeds:
        if (st := states.get(f.name)) is not None:
            for note in _relocation_notes(f.url, st):
                print(f"{f.name}: {note}")
    if not config.database_exists():
        print(f"(no database at {config.db_path} yet: no poll results to show)")
    return exitcodes.OK


def _relocation_notes(url: str, st: SourceState) -> list[str]:
    """Moves and 410s the poller remembers for this URL (`bot.sources.relocation`)."""
    notes = []
    if st.gone(url):
        notes.append(
            f"410 Gone at {st.gone_url} since {_when(st.gone_at)}: no longer polled "
            "(remove it from config.yaml or change its url)"
        )
    if st.poll_url(url) != url:
        notes.append(f"moved permanently to {st.moved_to}: polled there; update url in config.yaml")
    return notes


def _export(config: Config, output: Path | None) -> int:
    from bot.opml import export_opml

    data = export_opml(config.feeds)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return exitcodes.OK
    try:
        output.write_bytes(data)
    except OSError as exc:
        print(f"topicbot: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.PARTIAL
    print(f"{plural(len(config.feeds), 'feed')} written to {output}", file=sys.stderr)
    return exitcodes.OK


def _import(config_path: Path, args: argparse.Namespace) -> int:
    from bot.opml import OpmlError, add_feeds_to_config_text, parse_opml, plan_import

    config = load_config(config_path)  # refuse to edit a file that is already invalid
    try:
        doc = parse_opml(args.file.read_bytes())
    except OSError as exc:
        print(f"topicbot: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.PARTIAL
    except OpmlError as exc:
        print(f"topicbot: {args.file}: {exc}", file=sys.stderr)
        return exitcodes.PARTIAL
    for warning in doc.warnings:
        print(f"topicbot: {args.file}: warning: {warning}", file=sys.stderr)
    plan = plan_import(doc, config.feeds)
    for name, url in plan.added:
        print(f"  + {name}  {url}")
    for reason in plan.skipped:
        print(f"  = skipped {reason}")
    verb = "would add" if args.dry_run else "adding"
    total = len(plan.added) + len(plan.skipped)  # every outline with a feed URL, once
    print(
        f"{verb} {len(plan.added)} of {plural(total, 'feed')} from {args.file} to {config_path}"
        f" ({len(plan.skipped)} skipped)"
    )
    if not plan.added or args.dry_run:
        return exitcodes.OK
    with config_path.open(encoding="utf-8", newline="") as fh:  # keep CRLF files as they are
        text = fh.read()
    stamp = datetime.now(COPENHAGEN).strftime("%Y-%m-%d")
    new_text = add_feeds_to_config_text(
        text, plan.added, f"imported from {args.file.name} on {stamp}"
    )
    new = parse_config(new_text, source=str(config_path), base_dir=config.base_dir)
    expected = [f.name for f in config.feeds] + [n for n, _ in plan.added]
    if [f.name for f in new.feeds] != expected:
        raise ConfigError(["feeds: could not add the new feeds safely; file left unchanged"])
    backup = _write_atomically(config_path, new_text)
    print(f"done; the previous file is kept as {backup}")
    return exitcodes.OK


def backup_path(path: Path, now: datetime | None = None) -> Path:
    """`config.yaml.20260601-143000.bak`: a new name per import, so no earlier backup is lost
    (a second import in the same second gets `-2`, `-3`, ...)."""
    stamp = (now or datetime.now(COPENHAGEN)).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{stamp}.bak")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{stamp}-{n}.bak")
        n += 1
    return candidate


def _write_atomically(path: Path, text: str) -> Path:
    """Keep a timestamped backup, then replace the file in one rename so a crash never leaves
    half a config. Returns the backup's path."""
    backup = backup_path(path)
    shutil.copy2(path, backup)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return backup
