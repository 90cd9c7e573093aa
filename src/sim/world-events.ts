// What the world does to a simulation, as opposed to what crosses the link: a server event
// happens, the reader's page sends a message, the reader leaves. The scenario runner sends
// these to a scenario's machine at their virtual times.

export type WorldEvent =
  /** The server has something new to tell the client (event ids count from 1). */
  | { type: "server.event"; eventId: number }
  /** The client's application sends message `index` (counting from 1). */
  | { type: "client.message"; index: number }
  /** The end of the scenario's duration: the client stops and closes. */
  | { type: "session.ended" };
