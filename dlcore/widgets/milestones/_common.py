"""HTML tables for widget readouts (cells are escaped)."""

from __future__ import annotations

import html


def html_table(header, rows, bold_row: int | None = None) -> str:
    """An HTML table: one header row, then ``rows``; row ``bold_row`` is set in bold."""
    head = "".join(f"<th style='text-align:left;padding-right:8px'>{html.escape(str(h))}</th>"
                   for h in header)
    body = []
    for k, row in enumerate(rows):
        cells = "".join(f"<td style='padding-right:8px'>{html.escape(str(c))}</td>" for c in row)
        style = " style='font-weight:bold'" if k == bold_row else ""
        body.append(f"<tr{style}>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"
