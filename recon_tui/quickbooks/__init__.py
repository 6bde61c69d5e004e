"""The QuickBooks link's file formats: IIF files out and in (iif_writer.py, iif_reader.py), the
chart-of-accounts check (chart.py), and QuickBooks Desktop's own reports, saved as CSV: the Trial
Balance (trial_balance.py) and the transaction detail (detail.py), read by the rules of
report_csv.py and periods.py; tie_out_exports.py reads the tie-out account's side of them.

No SQL and no accounting rules here: files in, rows and amounts out.

QuickBooks Desktop's own reports, saved as CSV: the Trial Balance and the transaction detail.

The tie-out needs the GL balance of one account (the Trial Balance) and, for the diagnosis, the
entries QuickBooks holds on it (the General Ledger or Transaction Detail by Account report). What
QuickBooks writes, from exports seen in public code (dg-cpa/knives ``qbdcore.py``, which reads a
"Quickbooks Desktop GL Detail.csv"; dustinmichels/GAS-snippets ``quickbooks-macro``, which tidies a
Desktop General Ledger export) and QuickBooks Desktop's own report options (stated from knowledge
of the product; the reader is lenient where that could be wrong). The fixtures' README has more:

- Preamble rows before the column header: the printed report's left block (time, print date,
  "Accrual Basis") and its centre block (company, report title, "As of October 31, 2026" or a
  date range), blank rows, and on a Trial Balance a row with the column date ("Oct 31, 26")
  above Debit/Credit. The header is *found* by its column names (any order, any case), never
  by position. A preamble cell that is an amount means the header is missing: an error there.
- Empty spacer columns between the named columns, and the account labels in the columns before
  the first named one, one column per hierarchy level (or one column, indented with spaces).
  The first header cell is usually empty.
- Labels ``1200 · Accounts Receivable`` (account number, middle dot U+00B7) or plain names;
  sub-accounts either written ``Parent:Child`` (each part may carry its number) or as rows
  nested under the parent's heading, closed by ``Total Child`` / ``Total Parent`` rows; the
  report ends with a ``TOTAL`` row. Total rows are checked against the rows above them, so a
  file edited by hand (or cut short) is refused instead of read wrong.
- Amounts ``1,234.56``; a negative as ``-1,234.56``, ``(1,234.56)`` or ``1,234.56-`` (the three
  choices of Customize Report > Fonts & Numbers); an optional ``$``; an empty cell is 0. Zero,
  one or two decimals (a file re-saved by Excel loses trailing zeros); anything else is an error.
  Not detectable, so not to be used: the "Without Cents" and "Divided By 1000" options.
- Transaction dates ``MM/DD/YYYY`` (``M/D/YYYY`` too); ``MM/DD/YY`` as in the IIF reader: 00-49
  is 20xx, 50-99 19xx.
- UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 (what QuickBooks Desktop writes
  on Windows); CRLF or LF.

Signs (DOMAIN §9, from real exported files): QuickBooks prints every Amount and running Balance
debit-positive, whatever the account type: a deposit received on a liability is ``-75.00``, income
is negative, a whole ledger's ``TOTAL`` is 0.00. Every amount this module returns is so, in cents:
a Trial Balance row is ``debit - credit``, a detail row its Amount (or ``debit - credit``), an
opening balance its Balance. Turning them into an account's own sign is the caller's job, from the
account's role in the config; nothing here guesses a "natural sign".

Opening balances: a report run for dates that start after the company's first transaction (the
default, this fiscal year) prints each account's opening balance on its heading row (the Desktop
General Ledger) or on a "Beginning Balance" / "Balance Forward" / "Opening Balance" row; when
neither is printed, the first row's Balance less its amount is the opening. They are kept out of
``rows`` and given in ``DetailReport.opening``; the report's dates (``parse_period``) say where the
rows start.

The Transaction List by Date has no account sections: an Account column names each row's account,
and the label rows (``Jan - Dec 26``) are its period. A transaction row outside any heading takes
its account from an Account column; without one it is an error.

Self-checks, so a file that is not what it seems is refused rather than read wrong: every Total
row against the rows above it, each account's running Balance against its amounts, the closing
TOTAL (a file cut short has none), and the kinds of file a bookkeeper might pick by mistake (a PDF,
an Excel workbook, a file re-saved with ``;`` separators, another system's report).

Every error is a :class:`report_csv.QBReportError` whose message starts ``FILE:LINE:`` (LINE = the 1-based
physical line the CSV record starts on), or ``FILE:`` when no line is to blame.
"""
