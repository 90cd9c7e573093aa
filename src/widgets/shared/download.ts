// Saves a Blob the page made (a recording, a capture for Wireshark) as a file the reader keeps.
// The object URL lives long enough for the browser to start the download, then is let go.
export function downloadBlob(blob: Blob, filename: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
