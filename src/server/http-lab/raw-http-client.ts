// For tests: one raw TCP connection that speaks HTTP/1.1 by hand and counts every byte it
// writes and reads, so the lab's byte counts can be checked against the wire itself. Responses
// are read one at a time (Content-Length, chunked or 204), each with its exact raw length and
// its body pieces as they arrived (an SSE stream's events, one chunk each); after a 101 the
// connection's later bytes are read with `take`.
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  /** Header names lower-cased; repeated fields joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Body pieces in arrival order (one per chunk of a chunked body), with the client clock. */
  pieces: Array<{ data: string; at: number }>;
  /** Bytes this response took on the wire, head included. */
  rawLength: number;
  /** Client clock (epoch ms) when the last byte arrived. */
  at: number;
}

const clock = (): number => performance.timeOrigin + performance.now();

export class RawHttpClient {
  readonly socket: Socket;
  bytesWritten = 0;
  bytesRead = 0;
  closed = false;
  readonly whenClosed: Promise<void>;
  #buffer = Buffer.alloc(0);
  #lastArrival = 0;
  #wake: (() => void) | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.bytesRead += chunk.length;
      this.#lastArrival = clock();
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#notify();
    });
    this.whenClosed = new Promise((resolve) =>
      socket.once("close", () => {
        this.closed = true;
        this.#notify();
        resolve();
      }),
    );
    socket.on("error", () => {});
  }

  static open(port: number): Promise<RawHttpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve(new RawHttpClient(socket));
      });
      socket.once("error", reject);
    });
  }

  /** Writes `data` as is and counts it. */
  send(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : Buffer.from(data);
    this.bytesWritten += bytes.length;
    this.socket.write(bytes);
  }

  /** A GET (or another method) with the given headers, single-spaced as every browser writes it. */
  request(method: string, target: string, headers: Record<string, string>): string {
    const lines = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("");
    const text = `${method} ${target} HTTP/1.1\r\n${lines}\r\n`;
    this.send(text);
    return text;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async #more(): Promise<void> {
    if (this.closed) throw new Error("the server closed the connection");
    await new Promise<void>((resolve) => (this.#wake = resolve));
  }

  async #until(found: () => number): Promise<number> {
    for (;;) {
      const at = found();
      if (at >= 0) return at;
      await this.#more();
    }
  }

  /** The next `n` bytes (for frames after a 101). */
  async take(n: number): Promise<Buffer> {
    await this.#until(() => (this.#buffer.length >= n ? n : -1));
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }

  /** Whatever has arrived and not been read yet, waiting for at least one byte. */
  async takeSome(): Promise<Buffer> {
    await this.#until(() => (this.#buffer.length > 0 ? 0 : -1));
    const out = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    return out;
  }

  async response(options: { head?: boolean } = {}): Promise<RawResponse> {
    const headEnd = await this.#until(() => {
      const i = this.#buffer.indexOf("\r\n\r\n");
      return i < 0 ? -1 : i + 4;
    });
    const headText = this.#buffer.subarray(0, headEnd).toString("latin1");
    this.#buffer = this.#buffer.subarray(headEnd);
    let rawLength = headEnd;
    const [statusLine, ...fieldLines] = headText.slice(0, -4).split("\r\n");
    const status = Number(statusLine!.split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const line of fieldLines) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const pieces: RawResponse["pieces"] = [];
    const noBody =
      options.head || status === 101 || status === 204 || status === 304 || (status >= 100 && status < 200);
    if (!noBody && headers["transfer-encoding"]?.toLowerCase() === "chunked") {
      for (;;) {
        const lineEnd = await this.#until(() => {
          const i = this.#buffer.indexOf("\r\n");
          return i < 0 ? -1 : i + 2;
        });
        const size = parseInt(this.#buffer.subarray(0, lineEnd - 2).toString("latin1"), 16);
        const total = lineEnd + size + 2;
        await this.#until(() => (this.#buffer.length >= total ? total : -1));
        if (size > 0)
          pieces.push({ data: this.#buffer.subarray(lineEnd, lineEnd + size).toString("utf8"), at: this.#lastArrival });
        this.#buffer = this.#buffer.subarray(total);
        rawLength += total;
        if (size === 0) break;
      }
    } else if (!noBody && headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      await this.#until(() => (this.#buffer.length >= length ? length : -1));
      if (length > 0) pieces.push({ data: this.#buffer.subarray(0, length).toString("utf8"), at: this.#lastArrival });
      this.#buffer = this.#buffer.subarray(length);
      rawLength += length;
    } else if (!noBody) {
      while (!this.closed) await this.#more().catch(() => {});
      pieces.push({ data: this.#buffer.toString("utf8"), at: this.#lastArrival });
      rawLength += this.#buffer.length;
      this.#buffer = Buffer.alloc(0);
    }
    return { status, headers, body: pieces.map((p) => p.data).join(""), pieces, rawLength, at: this.#lastArrival };
  }

  close(): Promise<void> {
    this.socket.end();
    return this.whenClosed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
