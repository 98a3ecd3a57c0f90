// CSV as the reports download it (RFC 4180), for the integration and browser tests.

/**
 * Parses RFC 4180 CSV into rows of cells. A line ends at CRLF, LF or a lone CR
 * (outside quotes); quoted cells may hold commas, doubled quotes and line
 * breaks. An empty line is an empty row ([]); the last line counts without a
 * line end too.
 */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  let empty = true; // nothing yet on this line
  const endRow = () => {
    rows.push(empty ? [] : [...row, cell]);
    row = [];
    cell = '';
    empty = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
      continue;
    }
    if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      continue;
    }
    empty = false;
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else cell += c;
  }
  if (!empty) endRow();
  return rows;
}
