// One TLS record's bytes, every one explained (protocol/tls-dissect.ts), in the byte grid the
// frame inspector uses for frames. Closed until asked for and built on first opening: a run
// shows a dozen records, and most readers open one or two.
import { dissectTlsRecord, type TlsFieldKind } from "../../protocol/tls-dissect.ts";
import { explainByte, renderByteGrid, renderLegend, type GridField } from "../shared/byte-grid.ts";
import { setText } from "../shared/dom-writes.ts";
import { formatCount } from "../shared/format-count.ts";

const KIND_CLASS: Record<TlsFieldKind, string> = {
  "record-header": "f-header",
  length: "f-length",
  "message-header": "f-message",
  field: "f-field",
  opaque: "f-opaque",
  tag: "f-tag",
};

const tlsFieldClass = (field: GridField): string => KIND_CLASS[field.id as TlsFieldKind] ?? "f-opaque";

export function recordBytesView(record: Uint8Array, idPrefix: string): HTMLDetailsElement {
  const details = document.createElement("details");
  details.className = "record-bytes";
  const summary = document.createElement("summary");
  summary.textContent = `Every byte of this record (${formatCount(record.length)})`;
  details.append(summary);
  details.addEventListener(
    "toggle",
    () => {
      const fields = dissectTlsRecord(record);
      const grid = document.createElement("div");
      grid.className = "bytes";
      grid.setAttribute("role", "listbox");
      grid.tabIndex = 0;
      grid.setAttribute("aria-label", "Record bytes: use the arrow keys to explain each byte");
      const explanation = document.createElement("p");
      explanation.className = "explanation";
      explanation.id = `${idPrefix}-explain`;
      explanation.setAttribute("aria-live", "polite");
      grid.setAttribute("aria-describedby", explanation.id);
      const legend = document.createElement("ul");
      legend.className = "fields";
      details.append(grid, explanation, legend);
      renderByteGrid(grid, record, fields, idPrefix, tlsFieldClass, (index) =>
        setText(explanation, explainByte(fields, record, index)),
      );
      renderLegend(legend, fields, tlsFieldClass);
    },
    { once: true },
  );
  return details;
}
