/** The handlers the inbox benchmark runs, through the inbox and directly. */
export type HandlerName = "1 ms of I/O" | "no work";

export const handlers: Record<HandlerName, (event: unknown) => Promise<void>> = {
  // A handler waiting on an API call, say: the case the inbox is for.
  "1 ms of I/O": () => new Promise((resolve) => setTimeout(resolve, 1)),
  // Nothing but reading the event: what is left is the inbox's own cost.
  "no work": async (event) => {
    if (JSON.stringify(event).length === 0) throw new Error("empty event");
  },
};
