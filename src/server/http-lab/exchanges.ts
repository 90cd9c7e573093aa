// One plain-HTTP request to the lab, from its arrival until its response is over, with the
// delayed writer that carries the reader's added latency. Every open exchange is registered so
// that closing the lab ends them all: one still waiting to answer gets 503 with
// `Connection: close`, a stream already under way (SSE) is ended, and no timer outlives the lab.
// A connection may have at most `maxPerConnection` exchanges open at once: a client pipelining
// thousands of delayed requests on one socket gets 429 instead of thousands of timers.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { createDelayedWriter, type DelayedWriter } from "./write-delay.ts";
import { jsonHeaders, refuse, writeWhole } from "./respond.ts";

export interface LabExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly writer: DelayedWriter;
  /** Writes a whole response after the delay; `written` runs right after it is handed to the socket. */
  sendJson(status: number, value: unknown, written?: () => void, headers?: OutgoingHttpHeaders): void;
  /** Runs once the response is over: finished, abandoned by the client, or ended by the lab. */
  onEnd(callback: () => void): void;
}

export interface OpenExchanges {
  /** Opens an exchange, or answers 429 itself and returns null when its connection has too many open. */
  open(request: IncomingMessage, response: ServerResponse, delayMs: number): LabExchange | null;
  /** Ends every open exchange (the lab is closing). */
  closeAll(reason: string): void;
  readonly size: number;
}

export function createOpenExchanges(maxPerConnection: number): OpenExchanges {
  const open = new Map<LabExchange, (reason: string) => void>();
  const perConnection = new WeakMap<Socket, number>();

  return {
    open(request, response, delayMs) {
      const socket = request.socket;
      const already = perConnection.get(socket) ?? 0;
      if (already >= maxPerConnection) {
        refuse(
          request,
          response,
          429,
          `This connection already has ${maxPerConnection} lab requests waiting for an answer; wait for them before sending more.`,
          { "Retry-After": "1" },
        );
        return null;
      }
      perConnection.set(socket, already + 1);
      const writer = createDelayedWriter(delayMs);
      const endCallbacks: Array<() => void> = [];
      let over = false;
      const exchange: LabExchange = {
        request,
        response,
        writer,
        sendJson(status, value, written, headers = {}) {
          writer.run(() => {
            writeWhole(request, response, status, { ...jsonHeaders(), ...headers }, JSON.stringify(value));
            written?.();
          });
        },
        onEnd(callback) {
          if (over) callback();
          else endCallbacks.push(callback);
        },
      };
      const finish = (): void => {
        if (over) return;
        over = true;
        perConnection.set(socket, Math.max(0, (perConnection.get(socket) ?? 1) - 1));
        writer.cancel();
        open.delete(exchange);
        for (const callback of endCallbacks.splice(0)) callback();
      };
      response.once("close", finish);
      response.once("finish", finish);
      open.set(exchange, (reason) => {
        writer.cancel();
        if (!response.headersSent) refuse(request, response, 503, reason, { Connection: "close" });
        else response.end();
        finish();
      });
      return exchange;
    },
    closeAll(reason) {
      for (const end of [...open.values()]) end(reason);
    },
    get size() {
      return open.size;
    },
  };
}
