// An HTTP/1.1 parsing or framing error as a value: what is wrong, where (byte offset in the
// message), the section that says so, and the status a server would answer with.

export type HttpErrorReason =
  | "bare-cr"
  | "bare-lf"
  | "head-too-large"
  | "empty-start-line"
  | "bad-request-line"
  | "bad-method"
  | "bad-target"
  | "bad-version"
  | "unsupported-version"
  | "bad-status-line"
  | "whitespace-before-first-field"
  | "obsolete-line-folding"
  | "field-without-colon"
  | "empty-field-name"
  | "whitespace-before-colon"
  | "bad-field-name"
  | "bad-field-value"
  | "bad-content-length"
  | "transfer-encoding-not-chunked"
  | "transfer-encoding-in-http10"
  | "bad-chunk-size"
  | "bad-chunk-ending"
  | "body-too-large";

export interface HttpError {
  reason: HttpErrorReason;
  error: string;
  offset: number;
  rfc: string;
  /** The status a server would send in reply (400, 431, 505, ...). */
  status: number;
}

export function httpError(
  reason: HttpErrorReason,
  error: string,
  offset: number,
  rfc: string,
  status = 400,
): HttpError {
  return { reason, error, offset, rfc, status };
}
