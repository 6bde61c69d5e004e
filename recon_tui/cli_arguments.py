"""The command line's arguments (DOMAIN §12): the parser, every command's options and help, and
the argument types. A bad argument is one line and exit 2 (``UsageError``), never argparse's usage
block.
"""

from __future__ import annotations

import argparse
from datetime import date

from recon_tui import __version__
from recon_tui.model import METHODS, PeriodError, parse_date


class UsageError(Exception):
    """Bad arguments: exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _date_arg(what: str):
    def convert(text: str) -> date:
        try:
            return parse_date(text, what)
        except PeriodError as exc:  # argparse names the option already: keep what follows it
            said = str(exc)
            for prefix in (f"{what}: ", f"{what} "):
                if said.startswith(prefix):
                    said = said[len(prefix):]
                    break
            raise argparse.ArgumentTypeError("a date is required (YYYY-MM-DD)" if said.startswith("is required")
                                             else said) from None
    return convert


def _pair(option: str):
    def convert(text: str) -> tuple[str, str]:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise argparse.ArgumentTypeError(f"{text!r} is not METHOD=VALUE (e.g. cash=1234.50)")
        return key.strip(), value.strip()
    return convert


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return int(text)


def _common(sub: argparse.ArgumentParser, top: bool = False) -> None:
    """--db and --config; given before the command (``recon-tui --db X history``) they count too:
    a command's own default must not silently replace them with another database."""
    default = None if top else argparse.SUPPRESS
    sub.add_argument("--db", metavar="PATH", default=default,
                     help="studio database (default: `database` in the config)")
    sub.add_argument("--config", metavar="PATH", default=default,
                     help="config file (default: $RECON_TUI_CONFIG, ./config/recon.yaml, ~/.config/recon-tui/recon.yaml)")


def _format(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", choices=("text", "markdown", "csv", "json"), default="text",
                     help="output format (default: text)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="recon-tui", description=(
        "Close a portrait studio's books each period: the studio's orders and payments reconciled "
        "and tied out to QuickBooks Desktop."))
    parser.add_argument("--version", action="version", version=f"recon-tui {__version__}")
    _common(parser, top=True)  # with no command: the reconciliation app on this database
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser,
                                 description="With no command, recon-tui opens the reconciliation app (a terminal UI).")
    _import_command(subs)
    _report_commands(subs)
    _closing_commands(subs)
    _quickbooks_commands(subs)
    _backup_commands(subs)
    _serve_command(subs)
    _demo_command(subs)
    return parser


def _import_command(subs) -> None:
    """import: the order system's files, as §3 CSV or through a profile"""
    imp = subs.add_parser("import", help="import the order system's CSV files (all-or-nothing)",
                          description="Import customers.csv, orders.csv, order_lines.csv, payments.csv and "
                          "credit_adjustments.csv from DIR (whichever are present). Rows are upserted by id; "
                          "if any row is invalid nothing is written and every problem is listed.")
    imp.add_argument("directory", metavar="DIR", help="folder holding the CSV files (or the exports --profile reads)")
    imp.add_argument("--profile", metavar="NAME", help="read the studio system's own exports (.csv, .xlsx, .xls) "
                     "through the config's import profile NAME (its import_profiles key)")
    imp.add_argument("--dry-run", action="store_true", help="print per file how many records are new, changed and "
                     "unchanged, and which finalized periods the import would change; write nothing")
    _common(imp)


def _report_commands(subs) -> None:
    """report, aging, deposits: the figures of a period or a date"""
    rep = subs.add_parser("report", help="the reconciliation of a period (docs/rules.md §5-7)",
                          description="Print the Income, Expense, Payments and Balance Sheet tables for the "
                          "period (PREVIOUS, CURRENT], the A/R Aging and Deposit Reconciliation totals, and the "
                          "studio figure to tie out against QuickBooks.")
    rep.add_argument("--previous", required=True, type=_date_arg("--previous"), metavar="YYYY-MM-DD",
                     help="the previous reconciliation date (the period starts after it)")
    rep.add_argument("--current", required=True, type=_date_arg("--current"), metavar="YYYY-MM-DD",
                     help="the current reconciliation date (the period ends on it)")
    rep.add_argument("--method", choices=METHODS, help="accounting method (default: the config's)")
    _format(rep)
    _common(rep)

    for name, title in (("aging", "A/R Aging"), ("deposits", "Customer Deposit Reconciliation")):
        sub = subs.add_parser(name, help=f"the {title} report as of a date",
                              description=f"Print the {title} report as of a date (docs/rules.md §6).")
        sub.add_argument("--as-of", required=True, type=_date_arg("--as-of"), metavar="YYYY-MM-DD")
        _format(sub)
        _common(sub)


def _closing_commands(subs) -> None:
    """finalize and history: the numbered records"""
    fin = subs.add_parser("finalize", help="finalize a reconciliation: an immutable, numbered record",
                          description="Check and finalize the reconciliation of (PREVIOUS, CURRENT] "
                          "(docs/rules.md §10): the money counted per bank method, the QuickBooks balance it ties "
                          "out to, and notes. The record is written once and never changed; a printed report is "
                          "saved beside the database. PREVIOUS is required only for the first reconciliation; later ones start "
                          "at the last finalized current date.")
    fin.add_argument("--current", required=True, type=_date_arg("--current"), metavar="YYYY-MM-DD")
    fin.add_argument("--previous", type=_date_arg("--previous"), metavar="YYYY-MM-DD",
                     help="only for the first reconciliation (later ones must start at the last current date)")
    fin.add_argument("--method", choices=METHODS, help="accounting method (default: the config's)")
    fin.add_argument("--count", action="append", default=[], metavar="METHOD=AMOUNT", type=_pair("--count"),
                     help="money counted for a bank method (cash, check, eft, credit_card, other); "
                          "a method not given counts 0.00. Repeat for each method.")
    fin.add_argument("--count-note", action="append", default=[], metavar="METHOD=TEXT", type=_pair("--count-note"),
                     help="why a counted amount differs from the system (needed for every difference)")
    fin.add_argument("--qb-balance", required=True, metavar="AMOUNT",
                     help="the QuickBooks GL balance of the tie-out account (A/R for accrual, Customer Deposits for cash)")
    fin.add_argument("--qb-note", default="", metavar="TEXT", help="why the QuickBooks balance differs (needed if it does)")
    fin.add_argument("--qb-detail", metavar="FILE",
                     help="QuickBooks transaction detail export (CSV): the diagnosis of the difference "
                          "(docs/rules.md §9) is computed with it and kept with the record")
    fin.add_argument("--notes", default="", metavar="TEXT", help="notes kept with the record")
    _common(fin)

    hist = subs.add_parser("history", help="finalized reconciliations; show, re-check or reopen one",
                           description="List every finalized reconciliation, re-checking each for source records "
                           "changed since it was finalized. --show N prints one from its stored figures; "
                           "--reopen N --reason TEXT reopens the latest one (recorded, never deleted); "
                           "--verify recomputes the hash chain over records, reopenings and posted batches "
                           "(exit 3 naming the first item that does not match).")
    hist.add_argument("--show", type=_positive, metavar="N", help="print reconciliation N")
    hist.add_argument("--print", action="store_true", dest="write_printed",
                      help="with --show N: write its printed report (reconciliation-NNNN.txt beside the database) "
                           "again, e.g. after a crash left none")
    hist.add_argument("--verify", action="store_true",
                      help="check that no record, reopening or batch was changed since it was written "
                           "(docs/rules.md §10)")
    hist.add_argument("--reopen", type=_positive, metavar="N", help="reopen reconciliation N (the latest in force)")
    hist.add_argument("--reason", default="", metavar="TEXT", help="why it is reopened (required with --reopen)")
    _format(hist)
    _common(hist)


def _quickbooks_commands(subs) -> None:
    """post, check-accounts, diagnose, export: the link to QuickBooks"""
    post = subs.add_parser("post", help="post unposted events to QuickBooks as a numbered IIF batch",
                           description="Take every event dated on or before --through that has never been posted "
                           "(docs/rules.md §8) into the next numbered batch and write it as studio-batch-NNNN.iif "
                           "beside the database (or in --out), ready for QuickBooks Desktop's File > Utilities > Import > "
                           "IIF Files. What was posted is recorded and never changes. --reexport N writes batch N "
                           "again; delete the original entries from QuickBooks before importing it. --list shows "
                           "the batches.")
    what = post.add_mutually_exclusive_group(required=True)
    what.add_argument("--through", type=_date_arg("--through"), metavar="YYYY-MM-DD",
                      help="post every unposted event dated on or before this date")
    what.add_argument("--reexport", type=_positive, metavar="N", help="write batch N again")
    what.add_argument("--list", action="store_true", help="list the posting batches")
    post.add_argument("--method", choices=METHODS,
                      help="accounting method of the books (default: the method of earlier batches, else the config's)")
    post.add_argument("--out", metavar="DIR", help="folder for the IIF file (default: beside the database)")
    post.add_argument("--dry-run", action="store_true", help="say what would be posted; write nothing")
    post.add_argument("--qb-lists", metavar="FILE.iif",
                      help="first check the configured accounts against QuickBooks' list export, as check-accounts "
                           "does, and post nothing if any is missing or of the wrong type")
    _common(post)

    chk = subs.add_parser("check-accounts", help="check the config's GL accounts against QuickBooks' chart of accounts",
                          description="Read QuickBooks Desktop's list export (File > Utilities > Export > Lists to IIF "
                          "Files, with Chart of Accounts ticked; the chart alone will do) and check that every "
                          "account the config names (gl_accounts and income_categories) is there, sub-accounts as "
                          "Parent:Child, with a type that fits its use. Run it before the first post: a batch's "
                          "!ACCNT rows create any account QuickBooks lacks, so a misspelt name becomes a new, wrong "
                          "account. Exit 0 when every account fits; exit 2 listing each missing account (with the "
                          "closest QuickBooks name) or wrong type.")
    chk.add_argument("--qb-lists", required=True, metavar="FILE.iif", help="QuickBooks' Lists to IIF Files export")
    chk.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    chk.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file (default: $RECON_TUI_CONFIG, "
                     "./config/recon.yaml, ~/.config/recon-tui/recon.yaml)")

    diag = subs.add_parser("diagnose", help="why the studio figure and QuickBooks differ, to the cent "
                           "(docs/rules.md §9)",
                           description="Split studio figure - QuickBooks balance of the tie-out account (A/R for "
                           "accrual, Customer Deposits for cash) at --current into its causes: events never "
                           "posted, records edited after posting, posted events that no longer exist, and with "
                           "QuickBooks' transaction detail (--qb-detail) batches never imported, entries imported "
                           "twice, studio entries changed in QuickBooks and entries that are not the studio's. "
                           "The QuickBooks balance is --qb-balance, or read from a Trial Balance export "
                           "(--qb-trial-balance), or summed from the detail export.")
    diag.add_argument("--current", required=True, type=_date_arg("--current"), metavar="YYYY-MM-DD")
    diag.add_argument("--method", choices=METHODS, help="accounting method (default: the posting method, else the config's)")
    source = diag.add_mutually_exclusive_group()
    source.add_argument("--qb-balance", metavar="AMOUNT", help="the account's balance in QuickBooks at --current")
    source.add_argument("--qb-trial-balance", metavar="FILE", help="QuickBooks Trial Balance as of --current, exported as CSV")
    diag.add_argument("--qb-detail", metavar="FILE",
                      help="QuickBooks Transaction Detail by Account (or General Ledger, or Transaction List by Date), "
                           "Dates: All or this fiscal year, through --current, saved as CSV")
    diag.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    diag.add_argument("--items", type=int, default=20, metavar="N",
                      help="records listed per cause in text output (default: 20; 0 for all)")
    _common(diag)

    exp = subs.add_parser("export", help="the posted journal for the accountant (hledger/ledger format)",
                          description="Write the journal of docs/rules.md §8 (every event's entry dated on or before "
                          "--through) as an hledger journal: `hledger -f FILE bal -e <day after --through>` shows "
                          "the same balances the posting rules give QuickBooks.")
    exp.add_argument("--format", choices=("hledger",), default="hledger", help="journal format (default: hledger)")
    exp.add_argument("--method", choices=METHODS, help="accounting method (default: the config's)")
    exp.add_argument("--through", required=True, type=_date_arg("--through"), metavar="YYYY-MM-DD")
    exp.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    _common(exp)


def _backup_commands(subs) -> None:
    """backup and restore: the database's copies"""
    bak = subs.add_parser("backup", help="copy the database into backups/ now, or --list the copies",
                          description="Copy the database (consistent while others read it) into backups/ beside "
                          "it and print the copy's path. A copy is also made before every import, post, finalize "
                          "and reopen; the config's backups.keep (default 5; 0 = none) says how many are kept "
                          "(docs/rules.md §10). --list shows the copies, newest first.")
    bak.add_argument("--list", action="store_true", help="list the copies: when, before what, size, records, batches")
    _common(bak)

    res = subs.add_parser("restore", help="put a copy from backups/ back in place of the database",
                          description="Put FILE (a copy made by backup, or its name in backups/) back in place of "
                          "the database. Refused when FILE lacks finalized reconciliations or posted batches that "
                          "the database holds now (they would be lost), unless --force. The database as it was is "
                          "copied into backups/ first (before-restore), so a restore can be undone the same way.")
    res.add_argument("file", metavar="FILE", help="the copy to restore (a path, or a name in backups/)")
    res.add_argument("--force", action="store_true", help="restore even if records or batches would be lost")
    _common(res)


def _serve_command(subs) -> None:
    """serve: the app in a web browser"""
    srv = subs.add_parser("serve", help="the app in a web browser (each tab its own app, same database)",
                          description="Serve the reconciliation app to web browsers (README, 'In a browser'): each "
                          "browser tab runs its own app on this config and database, as the OS user who started "
                          "the server. It listens on 127.0.0.1 unless --host says otherwise; on any other address "
                          "it needs a token (serve.token in the config, or $RECON_TUI_TOKEN), which every request must then "
                          "carry (?token=... once, then a cookie). There is no TLS: from another machine use an "
                          "SSH tunnel, or a TLS reverse proxy.")
    srv.add_argument("--host", default="127.0.0.1", metavar="H",
                     help="address to listen on (default: 127.0.0.1; 0.0.0.0 for every address, token required)")
    srv.add_argument("--port", type=_port, default=8000, metavar="P", help="port (default: 8000; 0: any free port)")
    _common(srv)


def _demo_command(subs) -> None:
    """demo: the made-up studio"""
    demo = subs.add_parser("demo", help="build the deterministic demo studio",
                           description="Build a realistic demo portrait studio (same seed, same data) into "
                           "the database, and with --csv also write it as import CSV files.")
    demo.add_argument("--csv", metavar="DIR", help="also write the import CSV files (docs/rules.md §3) into DIR")
    demo.add_argument("--profile-example", action="store_true",
                      help="with --csv: write the order system's own exports instead (title rows, US dates, "
                      "$ amounts, Payment List.xlsx), as config/recon.yaml's example profile 'oms' reads them")
    demo.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    demo.add_argument("--years", type=_positive, default=3, help="years of history (default: 3)")
    demo.add_argument("--orders-per-year", type=_positive, default=3000, help="orders per year (default: 3000)")
    demo.add_argument("--end", type=_date_arg("--end"), metavar="YYYY-MM-DD",
                      help="last day of the history (default: 2026-10-31)")
    demo.add_argument("--force", action="store_true", help="replace an existing database")
    _common(demo)
