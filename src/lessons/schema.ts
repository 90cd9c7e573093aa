// The shape of a lesson's front matter. Kept apart from src/content.config.ts so it can be
// unit-tested without Astro's virtual modules. A reference names a standard and, for RFCs,
// the section the lesson relies on, so every fact a lesson states can be traced.
import { z } from "astro/zod";

export const referenceSchema = z
  .object({
    /** "RFC 6455", "RFC 9112", or a named living standard ("WHATWG WebSockets Standard"). */
    doc: z
      .string()
      .regex(
        /^(RFC \d{3,5}|WHATWG [A-Za-z ]+|IANA [A-Za-z ]+)$/,
        "doc must look like 'RFC 6455' or 'WHATWG WebSockets Standard'",
      ),
    /** "§4.1" or "§7.4.1"; a whole document when absent. */
    section: z
      .string()
      .regex(/^§\d+(\.\d+)*$/, "section must look like '§4.2.2'")
      .optional(),
    title: z.string().min(3),
  })
  .strict();

export const lessonSchema = z
  .object({
    title: z.string().min(3).max(90),
    summary: z.string().min(20).max(280),
    /** Position in the course; must equal the NN prefix of the file name. */
    order: z.number().int().min(0).max(99),
    objectives: z.array(z.string().min(10)).min(2).max(8),
    minutes: z.number().int().min(1).max(120),
    references: z.array(referenceSchema).min(1),
  })
  .strict();

export type Reference = z.infer<typeof referenceSchema>;

/** A reference as a link into the RFC Editor's HTML rendering, or null for other documents. */
export function referenceUrl(ref: Reference): string | null {
  const rfc = /^RFC (\d+)$/.exec(ref.doc);
  if (!rfc) return null;
  const anchor = ref.section ? `#section-${ref.section.slice(1)}` : "";
  return `https://www.rfc-editor.org/rfc/rfc${rfc[1]}${anchor}`;
}
