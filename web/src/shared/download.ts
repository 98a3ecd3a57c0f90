// Saves a file the page fetched (e.g. a chat transcript): a blob: URL on an
// <a download>, clicked. A download is no navigation, so the CSP (default-src
// 'self') does not get in the way, and nothing is inlined.
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
