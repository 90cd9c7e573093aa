// Browser tests for lesson 7 (real Chromium, real production server): the lab's ws:// and wss://
// twins side by side, the TLS records readable only as headers and hellos, the frames inside
// them decrypted with the session's secrets and equal to the ws:// column's; every byte of a
// record explained, by keyboard; no horizontal overflow on a phone; axe in both themes, idle and
// after a run (with a record's bytes open).
import { createHash } from "node:crypto";
import { connect } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";
import { axeViolations } from "./axe.ts";

const baseUrl = inject("baseUrl");
const httpsUrl = inject("httpsUrl");
/** Where the test's page came from: nothing it does may go anywhere else. */
let pageOrigin = baseUrl;
const LESSON = "/lessons/ws-and-wss/";
let browser: Browser;
let page: Page;
let watch: PageWatch;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  expect(watch.pageErrors).toEqual([]);
  expect(foreignRequests(watch, pageOrigin)).toEqual([]);
  pageOrigin = baseUrl;
  await page?.close();
});

async function openTwins(options: { scheme?: "light" | "dark"; width?: number } = {}): Promise<Locator> {
  page = await browser.context.newPage();
  watch = watchPage(page);
  await page.emulateMedia({ colorScheme: options.scheme ?? "light" });
  if (options.width) await page.setViewportSize({ width: options.width, height: 844 });
  await page.goto(`${baseUrl}${LESSON}`);
  const twins = page.locator("sp-tls-twin");
  await twins.scrollIntoViewIfNeeded();
  await page.locator("sp-tls-twin[data-ready]").waitFor();
  return twins;
}

/**
 * Opens a record's "Every byte" details and waits for its grid: the grid is built on the
 * details' toggle event, which the browser fires in a task of its own after the click, so
 * reading the grid straight after the click can find nothing (a CI run once did).
 */
async function openRecordBytes(item: Locator, summary: RegExp = /^Every byte of this record/): Promise<void> {
  await item.getByText(summary).click();
  await item.locator(".record-bytes[open] [role=listbox] [role=option]").first().waitFor();
}

async function run(twins: Locator): Promise<void> {
  await twins.getByRole("button", { name: "Run the twins" }).click();
  await page.locator('sp-tls-twin[data-run="shown"]').waitFor({ timeout: 15_000 });
}

describe("lesson 7: ws:// and wss://", () => {
  it("shows the same conversation readable over ws:// and as TLS records over wss://, with the same frames inside", async () => {
    const twins = await openTwins();
    await run(twins);
    const ws = twins.locator("[data-part=ws-items] > li");
    const wss = twins.locator("[data-part=wss-items] > li");
    expect(await ws.first().innerText()).toMatch(
      /^Client → server: The upgrade request, in plain text\n+[\s\S]*GET \/lab\/echo HTTP\/1\.1/,
    );
    expect(await ws.filter({ hasText: "text frame" }).first().innerText()).toMatch(/payload 5 bytes: “Hello”/);
    expect(await wss.first().innerText()).toMatch(
      /^Client → server: handshake record: ClientHello, in the clear\n+16 03 01 [\s\S]*Server name \(SNI\), readable by anyone on the way: localhost/,
    );
    const wssText = await twins.locator("[data-part=wss-items]").innerText();
    expect(wssText).not.toMatch(/“Hello”/);
    expect(wssText).toMatch(/Inside, hidden: handshake: .*Certificate/);
    const same = twins.locator('[data-part=wss-items] > li[data-same="true"]');
    expect(await same.count()).toBe(4);
    expect(await same.first().innerText()).toMatch(
      /a WebSocket text frame: 81 85 .* — the same bytes as the ws:\/\/ column/,
    );
    // The masking key in both columns is the same four bytes.
    const key = (await ws.filter({ hasText: "text frame" }).first().innerText()).match(
      /key ([0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2})/,
    )![1]!;
    expect(await same.first().innerText()).toContain(`81 85 ${key}`);
    expect(await twins.locator("[data-part=totals]").innerText()).toMatch(
      /^ws:\/\/: [\d,]+ bytes up, [\d,]+ down\. wss:\/\/: [\d,]+ bytes up, [\d,]+ down, in \d+ TLS records: [\d,]+ bytes more.* 4 of the frames inside TLS are byte for byte the ws:\/\/ column's\.$/,
    );
    expect(await twins.getAttribute("data-run")).toBe("shown");
  });

  it("explains every byte of a TLS record, by keyboard: the ClientHello's fields and an encrypted record's tag", async () => {
    const twins = await openTwins();
    await run(twins);
    const hello = twins.locator("[data-part=wss-items] > li").first();
    await openRecordBytes(hello, /^Every byte of this record \([\d,]+\)$/);
    const grid = hello.getByRole("listbox", { name: "Record bytes: use the arrow keys to explain each byte" });
    const explanation = hello.locator(".explanation");
    // The grid shows the record's own bytes: the header the item's title line shows.
    expect((await grid.getByRole("option").allInnerTexts()).slice(0, 3)).toEqual(["16", "03", "01"]);
    await grid.focus();
    expect(await explanation.innerText()).toMatch(
      /^Byte 0: 0x16 = 00010110 in binary\. content type \(1 byte = 22\): 22: handshake \[RFC 8446 §5\.1\]$/,
    );
    await page.keyboard.press("ArrowRight");
    expect(await explanation.innerText()).toMatch(/^Byte 1: 0x03 .* legacy_record_version \(2 bytes = 769\)/);
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    expect(await explanation.innerText()).toMatch(
      /^Byte 5: 0x01 .* handshake message type \(1 byte = 1\): 1: ClientHello \[RFC 8446 §4\]$/,
    );
    expect(await hello.locator(".fields").innerText()).toMatch(
      /cipher suite offered \(bytes \d+–\d+, 2 bytes = 4865\): 0x1301: TLS_AES_128_GCM_SHA256/,
    );
    expect(await hello.locator(".fields").innerText()).toMatch(/key_share data .*RFC 8446 §4\.2\.8/);
    const encrypted = twins.locator("[data-part=wss-items] > li").filter({ hasText: "application_data record" }).last();
    await openRecordBytes(encrypted);
    const legend = await encrypted.locator(".fields > li").allInnerTexts();
    expect(legend.map((line) => line.split(" (")[0])).toEqual([
      "content type",
      "legacy_record_version",
      "length",
      "encrypted_record",
      "authentication tag",
    ]);
    expect(legend[4]).toMatch(/^authentication tag \(bytes \d+–\d+, 16 bytes\)/);
  });

  it("fits a 390 px phone without sideways scrolling", async () => {
    const twins = await openTwins({ width: 390 });
    await run(twins);
    await openRecordBytes(twins.locator("[data-part=wss-items] > li").first());
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it.each(["light", "dark"] as const)("has no axe violations in the %s theme, idle and after a run", async (scheme) => {
    const twins = await openTwins({ scheme });
    expect(await axeViolations(page), "idle").toEqual([]);
    await run(twins);
    await openRecordBytes(twins.locator("[data-part=wss-items] > li").first());
    await page.locator("sp-quiz form").first().getByRole("button", { name: "Check answer" }).click();
    expect(await axeViolations(page), "after a run").toEqual([]);
  });
});

/** The base64 SHA-256 of the public key the lab's https:// side presents (for --ignore-certificate-errors-spki-list). */
function labSpki(): Promise<string> {
  const { hostname, port } = new URL(httpsUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: hostname, port: Number(port), servername: "localhost", rejectUnauthorized: false },
      () => {
        const der = socket.getPeerX509Certificate()!.publicKey.export({ type: "spki", format: "der" });
        socket.end();
        resolve(createHash("sha256").update(der).digest("base64"));
      },
    );
    socket.on("error", reject);
  });
}

describe("lesson 7 on a page served over https://", () => {
  let trusting: Browser;
  beforeAll(async () => {
    // A browser that trusts the lab's own certificate, as one would once the operator's
    // certificate is from a CA it trusts: the page then opens wss:// itself.
    trusting = await launchBrowser({ trustSpki: [await labSpki()] });
  });
  afterAll(async () => {
    await trusting?.close();
  });

  it("shows your own wss:// connection, decrypted, beside a ws:// twin with your masking keys", async () => {
    page = await trusting.context.newPage();
    watch = watchPage(page);
    pageOrigin = httpsUrl;
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    await page.goto(`${httpsUrl}${LESSON}`);
    const twins = page.locator("sp-tls-twin");
    await twins.scrollIntoViewIfNeeded();
    await page.locator('sp-tls-twin[data-ready][data-client="reader"]').waitFor();
    await twins.getByRole("button", { name: "Run it over your own wss://" }).click();
    await page.locator('sp-tls-twin[data-run="shown"]').waitFor({ timeout: 15_000 });
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatch(
      new RegExp(`^wss://${new URL(httpsUrl).host.replace(/\./g, "\\.")}/lab/echo\\?record=[\\w-]{22,}$`),
    );
    expect(await twins.locator("[data-part=status]").innerText()).toBe(
      "TLS 1.3, TLS_AES_128_GCM_SHA256, your own connection",
    );
    expect(await twins.locator(".column-title").last().innerText()).toContain("your browser's own connection");
    const wss = twins.locator("[data-part=wss-items] > li");
    expect(await wss.first().innerText()).toMatch(
      /^Client → server: handshake record: ClientHello, in the clear\n+16 03 01 /,
    );
    // Your browser's frames, found inside its TLS records, are byte for byte the ws:// twin's.
    const same = twins.locator('[data-part=wss-items] > li[data-same="true"]');
    expect(await same.count()).toBe(4);
    const ws = twins.locator("[data-part=ws-items] > li");
    const key = (await ws.filter({ hasText: "text frame" }).first().innerText()).match(
      /key ([0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2})/,
    )![1]!;
    expect(await same.first().innerText()).toContain(`81 85 ${key}`);
  });
});
