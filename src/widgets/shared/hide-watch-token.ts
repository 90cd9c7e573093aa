// The wire tap's watch token (?watch=… in a specimen's or monitor's request target) is the
// reader's secret: whoever holds it can watch their connection. Pages that show a captured
// request write "watch=…" in its place; the byte counts shown beside it stay those of the real
// bytes. Used by every widget that shows a tapped request head (lessons 2, 4, 5, 6, 8 and 9).

const WATCH_PARAMETER = /([?&]watch=)[^&\s#]+/g;

export function hideWatchToken(text: string): string {
  return text.replace(WATCH_PARAMETER, "$1…");
}
