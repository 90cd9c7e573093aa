// The join page's address panel: the address students open (this page's own origin, because the
// teacher shows it on the projector at the LAN address), a QR code of it drawn here, and a clear
// warning when the page was opened at a loopback address nobody else can reach.
import { codeFromSearch, joinAddress, spacedCode, START_FOR_LAN } from "./join-address.ts";

export function setUpJoinPage(root: ParentNode = document): void {
  const panel = root.querySelector<HTMLElement>("[data-join-panel]");
  if (!panel) return;
  const address = joinAddress(location);
  const text = panel.querySelector<HTMLElement>("[data-join-address]");
  if (text) text.textContent = address.url;
  const qr = panel.querySelector<SVGSVGElement>("[data-join-qr]");
  // The QR encoder is the heaviest part of this page: fetched after the address is already shown.
  if (qr) void import("./qr-svg.ts").then(({ drawQr }) => drawQr(qr, address.url, `QR code for ${address.url}`));
  panel.toggleAttribute("data-loopback", address.loopback);
  const warning = panel.querySelector<HTMLElement>("[data-join-loopback]");
  if (warning) {
    warning.hidden = !address.loopback;
    const origin = warning.querySelector<HTMLElement>("[data-join-origin]");
    if (origin) origin.textContent = address.origin;
    const command = warning.querySelector<HTMLElement>("[data-join-command]");
    if (command) command.textContent = START_FOR_LAN;
  }
  const code = codeFromSearch(location.search);
  const given = root.querySelector<HTMLElement>("[data-join-given-code]");
  if (given && code) {
    given.hidden = false;
    const slot = given.querySelector<HTMLElement>("[data-join-code]");
    if (slot) slot.textContent = spacedCode(code);
  }
  panel.toggleAttribute("data-ready", true);
}
