"""Import from and export to the spreadsheet the ICT secretary kept before the portal (CSV or XLSX).

The columns have Finnish headers (the file's language, whatever the portal's), and platforms, units and
people are matched by name, so the secretary's own spreadsheet can be read. The export writes the same
columns, so an exported file imports back with no changes.

- ``columns``: the file's columns, and how platforms, units and people are named in them.
- ``reading``: an uploaded CSV or XLSX file as a ``Table`` of text cells; the upload form.
- ``importing``: an import is planned first (``plan_import``: what each row would create or change, and every
  error by row and column) and applied only when the plan has no errors, in one transaction, through the same
  services as the browser. The page keeps the previewed plan in the session with the registry's version, and
  confirming applies that plan unless the registry has changed since (``apply_previewed``); the command line
  plans and applies at once (``apply_import``). Update rights are not imported: each grant
  must pass ``services.grant_right``'s checks (authorisation, commitment), so they are granted on the channel
  page; the export lists them for reading only.
- ``exporting``: the registry in the same columns, as CSV or XLSX (written by ``core.spreadsheets``).
"""
