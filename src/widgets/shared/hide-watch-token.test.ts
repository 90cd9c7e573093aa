import { describe, expect, it } from "vitest";
import { hideWatchToken, maskWatchToken } from "./hide-watch-token.ts";

describe("hideWatchToken", () => {
  const token = "Ab3_-xYz0123456789abcd";

  it("hides the token in a request line, wherever the parameter sits", () => {
    expect(hideWatchToken(`GET /lab/echo?watch=${token} HTTP/1.1`)).toBe("GET /lab/echo?watch=… HTTP/1.1");
    expect(hideWatchToken(`GET /lab/echo?x=1&watch=${token}&y=2 HTTP/1.1`)).toBe(
      "GET /lab/echo?x=1&watch=…&y=2 HTTP/1.1",
    );
  });

  it("hides every occurrence in a whole head and leaves the rest alone", () => {
    const head = `GET /lab/echo?watch=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nReferer: http://127.0.0.1/lab/monitor?watch=${token}\r\n\r\n`;
    const hidden = hideWatchToken(head);
    expect(hidden).not.toContain(token);
    expect(hidden).toBe(
      "GET /lab/echo?watch=… HTTP/1.1\r\nHost: 127.0.0.1\r\nReferer: http://127.0.0.1/lab/monitor?watch=…\r\n\r\n",
    );
    expect(hideWatchToken("GET /lab/echo HTTP/1.1")).toBe("GET /lab/echo HTTP/1.1");
  });
});

describe("maskWatchToken", () => {
  const token = "Ab3_-xYz0123456789abcd";
  const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

  it("hides the token byte for byte, keeping every offset and the length", () => {
    const head = `GET /lab/echo?watch=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const masked = maskWatchToken(latin1(head));
    expect(masked.length).toBe(head.length);
    expect(text(masked)).not.toContain(token);
    expect(text(masked)).toBe(`GET /lab/echo?watch=${"·".repeat(token.length)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });

  it("leaves a request without a token as it was (a copy, not the same array)", () => {
    const head = latin1("GET /lab/echo HTTP/1.1\r\n\r\n");
    const masked = maskWatchToken(head);
    expect(masked).toEqual(head);
    expect(masked).not.toBe(head);
  });
});
