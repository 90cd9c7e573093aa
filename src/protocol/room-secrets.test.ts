import { describe, expect, it } from "vitest";
import { redactRoomSecrets, secretRanges, SECRET_MASK, showRedacted } from "./room-secrets.ts";

const key = "q1w2e3r4t5y6u7i8o9p0aa";
const enc = new TextEncoder();

describe("room secrets", () => {
  it("hides the teacher key and resume tokens in every message that carries one", () => {
    const texts = [
      JSON.stringify({ type: "created", code: "ABC234", teacherKey: key, you: { id: "t", nickname: "Prüfer" } }),
      JSON.stringify({ type: "teach", code: "ABC234", teacherKey: key }),
      JSON.stringify({ type: "joined", you: { id: "t" }, resume: key, participants: [], history: [] }),
      JSON.stringify({ type: "join", code: "ABC234", nickname: "Zoë", resume: key }),
      `{ "type": "teach", "teacherKey" : "${key}" }`,
    ];
    for (const text of texts) {
      const result = redactRoomSecrets(text);
      expect(result.redacted).toBe(true);
      expect(result.text).not.toContain(key);
      expect(result.text).toBe(text.replace(key, SECRET_MASK));
    }
  });

  it("masks a secret however the message is cut into fragments", () => {
    const message = enc.encode(
      JSON.stringify({ type: "created", code: "ABC234", teacherKey: key, you: { id: "t", nickname: "Zoë" } }),
    );
    for (let cut = 1; cut < message.length; cut++) {
      // What a reader sees of each fragment: the first with only its own bytes known, the second
      // with the whole message.
      const first = showRedacted(message, 0, cut, secretRanges(message.subarray(0, cut)));
      const second = showRedacted(message, cut, message.length, secretRanges(message));
      for (let n = 4; n <= key.length; n++) {
        for (let i = 0; i + n <= key.length; i++) {
          expect(first.text).not.toContain(key.slice(i, i + n));
          expect(second.text).not.toContain(key.slice(i, i + n));
        }
      }
    }
  });

  it("unmasks escaped quotes correctly and leaves everything else alone", () => {
    expect(redactRoomSecrets('{"resume":"a\\"b","x":1}').text).toBe(`{"resume":"${SECRET_MASK}","x":1}`);
    const say = JSON.stringify({ type: "message", text: 'my "resume" is ready' });
    expect(redactRoomSecrets(say)).toEqual({ text: say, redacted: false });
    expect(redactRoomSecrets('{"resume":""}')).toEqual({ text: '{"resume":""}', redacted: false });
  });
});
