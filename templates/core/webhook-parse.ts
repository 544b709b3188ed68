/**
 * Reading a webhook delivery openly: strict where we send, tolerant where we
 * receive. Only the envelope (a JSON object, the values the spec fixes at its
 * top, the entries array) can refuse a delivery. Past that, every item of
 * every list becomes an event: each is checked against its own kind's schema,
 * and one that departs from it is still delivered, exactly as received, with
 * `conforms: false` and its issues. Nothing is dropped or coerced.
 *
 * The generated `src/<api>/webhooks.ts` describes its webhook with a
 * `WebhookLayout` and types the events this module produces.
 */

import type { ValidationIssue } from "./errors.js";
import { md5Hex } from "./md5.js";
import { escapePointerToken as escapeToken, type Check } from "./check.js";
import { issuesOf } from "./validation.js";
import { WebhookPayloadError } from "./webhook-errors.js";

/** One event kind of a webhook, as the spec declares it. */
export interface EventKindLayout {
  kind: string;
  /** An item is of the first kind whose field it has. */
  field: string;
  /** The kind's schema; absent when validation is off. */
  validator?: Check | undefined;
  /** Dotted paths into the item whose values identify the event across redeliveries. */
  identity: readonly string[];
  /** Only items of these lists can be of this kind (every list when absent). */
  lists?: readonly string[] | undefined;
}

/** How a webhook's body holds its events (the spec's `envelope`). */
export interface EnvelopeLayout {
  /** Top-level values a body must have to be this webhook's (e.g. object: "page"). */
  match: Readonly<Record<string, string | number | boolean>>;
  entries: string;
  /** Each list of an entry, and whether its events arrive on standby. */
  lists: readonly (readonly [name: string, standby: boolean])[];
  pageId: string;
  entryTime: string;
  /** The envelope's own schema: its departures outside the events are reported too. */
  validator?: Check | undefined;
}

export interface WebhookLayout {
  /** Kinds that are a whole body of their own (Sobot's upload result), tried first. */
  topLevel: readonly EventKindLayout[];
  envelope?: EnvelopeLayout | undefined;
  kinds: readonly EventKindLayout[];
}

/** What every event carries, whatever its kind. */
export interface ReceivedEventBase {
  /**
   * A stable identity for deduplicating redeliveries: the kind and the values of
   * the fields its kind names (see the kind's documentation), or, where the
   * event lacks them, a hash of the event as received. Opaque; compare whole.
   */
  id: string;
  /** The JSON pointer of the event in the delivery, e.g. `/entry/0/messaging/1`. */
  pointer: string;
  /** The Page the event belongs to (the entry's id). */
  pageId?: string | undefined;
  /** When the entry was sent, epoch milliseconds. */
  time?: number | undefined;
  /** Who sent the event (a PSID, or the Page for echoes). */
  senderId?: string | undefined;
  /** Who the event is for. */
  recipientId?: string | undefined;
  /** When the event happened, epoch milliseconds. */
  timestamp?: number | undefined;
  /** Whether the event came in a standby list (another app controls the thread). */
  standby: boolean;
}

/** An event as this module produces it; the generated types narrow `kind` and `data`. */
export interface ReceivedEvent extends ReceivedEventBase {
  kind: string;
  /** The event exactly as received. */
  data: Record<string, unknown>;
  /** Whether the event matches its kind's schema (unknown kinds have none and conform). */
  conforms: boolean;
  /** Where it departs from the schema, pointers relative to the whole delivery. */
  issues: ValidationIssue[];
}

export interface ParsedDelivery<E> {
  events: E[];
  /** Every departure of the delivery: the events' and the envelope's. Empty when all conforms. */
  issues: ValidationIssue[];
}

/** Parses one body's text; throws WebhookPayloadError only when it is not this webhook's envelope. */
export function parseDeliveryText(
  text: string,
  layout: WebhookLayout,
  validate: boolean,
): ParsedDelivery<ReceivedEvent> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new WebhookPayloadError("webhook body is not JSON");
  }
  return readDelivery(body, layout, validate);
}

/** The events of an already parsed body, in the order they arrived. */
export function readDelivery(
  body: unknown,
  layout: WebhookLayout,
  validate: boolean,
): ParsedDelivery<ReceivedEvent> {
  if (!isRecord(body)) throw new WebhookPayloadError("webhook body is not a JSON object");
  for (const kind of layout.topLevel) {
    if (kind.field in body) {
      const event = makeEvent(body, kind, "", { standby: false }, validate);
      return { events: [event], issues: event.issues };
    }
  }
  const envelope = layout.envelope;
  if (!envelope) throw new WebhookPayloadError("webhook body is of no kind this webhook knows");
  for (const [field, value] of Object.entries(envelope.match)) {
    if (body[field] !== value) {
      throw new WebhookPayloadError("webhook body is not this webhook's envelope", [
        { pointer: `/${escapeToken(field)}`, message: `must be ${JSON.stringify(value)}` },
      ]);
    }
  }
  const entries = body[envelope.entries];
  if (!Array.isArray(entries)) {
    throw new WebhookPayloadError("webhook body has no list of entries", [
      { pointer: `/${escapeToken(envelope.entries)}`, message: "must be array" },
    ]);
  }

  const events: ReceivedEvent[] = [];
  const loose: ValidationIssue[] = [];
  /** Where the events and the skipped values are: the envelope's schema has nothing to add there. */
  const covered: string[] = [];
  entries.forEach((entry, entryIndex) => {
    const entryPointer = `/${escapeToken(envelope.entries)}/${entryIndex}`;
    if (!isRecord(entry)) {
      loose.push({ pointer: entryPointer, message: "is not an entry object; it was skipped" });
      covered.push(entryPointer);
      return;
    }
    const pageId =
      typeof entry[envelope.pageId] === "string" ? (entry[envelope.pageId] as string) : undefined;
    const time =
      typeof entry[envelope.entryTime] === "number" ? (entry[envelope.entryTime] as number) : undefined;
    for (const [list, standby] of envelope.lists) {
      const items = entry[list];
      if (!Array.isArray(items)) continue;
      items.forEach((item, itemIndex) => {
        const pointer = `${entryPointer}/${escapeToken(list)}/${itemIndex}`;
        covered.push(pointer);
        if (!isRecord(item)) {
          loose.push({ pointer, message: "is not an event object; it was skipped" });
          return;
        }
        const kind = layout.kinds.find((k) => k.field in item && (!k.lists || k.lists.includes(list)));
        events.push(makeEvent(item, kind, pointer, { pageId, time, standby }, validate));
      });
    }
  });

  if (validate && envelope.validator && !envelope.validator(body)) {
    // The envelope's schema sees the events too; their own schemas report them more precisely.
    const inCovered = (pointer: string) => covered.some((c) => pointer === c || pointer.startsWith(`${c}/`));
    loose.push(...issuesOf(envelope.validator, body).filter((issue) => !inCovered(issue.pointer)));
  }
  loose.push(...events.flatMap((event) => event.issues));
  return { events, issues: loose.sort((a, b) => comparePointers(a.pointer, b.pointer)) };
}

function makeEvent(
  item: Record<string, unknown>,
  kind: EventKindLayout | undefined,
  pointer: string,
  entry: { pageId?: string | undefined; time?: number | undefined; standby: boolean },
  validate: boolean,
): ReceivedEvent {
  const validator = validate ? kind?.validator : undefined;
  const issues =
    validator && !validator(item)
      ? issuesOf(validator, item).map((issue) => ({
          pointer: pointer + issue.pointer,
          message: issue.message,
        }))
      : [];
  const timestamp = typeof item["timestamp"] === "number" ? item["timestamp"] : undefined;
  return {
    kind: kind?.kind ?? "unknown",
    id: identify(item, kind, entry.pageId),
    pointer,
    ...(entry.pageId === undefined ? {} : { pageId: entry.pageId }),
    ...(entry.time === undefined ? {} : { time: entry.time }),
    ...optionalId("senderId", item["sender"]),
    ...optionalId("recipientId", item["recipient"]),
    ...(timestamp === undefined ? {} : { timestamp }),
    standby: entry.standby,
    data: item,
    conforms: issues.length === 0,
    issues,
  };
}

/**
 * `<kind>:<value>|<value>` from the kind's identity fields, or `<kind>:#<md5>` of
 * the Page and the item as received when one is missing: a redelivery repeats
 * the same bytes, so it gets the same identity.
 */
function identify(
  item: Record<string, unknown>,
  kind: EventKindLayout | undefined,
  pageId: string | undefined,
): string {
  const name = kind?.kind ?? "unknown";
  const values = (kind?.identity ?? []).map((path) => valueAt(item, path));
  if (values.length > 0 && values.every((v) => v !== undefined)) return `${name}:${values.join("|")}`;
  return `${name}:#${md5Hex(`${pageId ?? ""}\u0000${JSON.stringify(item)}`)}`;
}

function valueAt(item: Record<string, unknown>, path: string): string | undefined {
  let current: unknown = item;
  for (const key of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return typeof current === "string" || typeof current === "number" || typeof current === "boolean"
    ? String(current)
    : undefined;
}

function optionalId(name: "senderId" | "recipientId", party: unknown): Partial<Record<typeof name, string>> {
  const id = isRecord(party) ? party["id"] : undefined;
  return typeof id === "string" ? { [name]: id } : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Document order: `/entry/2/...` before `/entry/10/...`. */
function comparePointers(a: string, b: string): number {
  const as = a.split("/");
  const bs = b.split("/");
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    if (as[i] === bs[i]) continue;
    const an = Number(as[i]);
    const bn = Number(bs[i]);
    if (Number.isInteger(an) && Number.isInteger(bn)) return an - bn;
    return as[i]! < bs[i]! ? -1 : 1;
  }
  return as.length - bs.length;
}

/**
 * An event of a kind the spec describes: typed when it matches the kind's
 * schema; with `conforms: false`, its data is as received and unchecked, and
 * `issues` says where it departs.
 */
export type KnownEvent<K extends string, T> =
  | (ReceivedEventBase & { kind: K; conforms: true; data: T; issues: [] })
  | (ReceivedEventBase & {
      kind: K;
      conforms: false;
      data: Record<string, unknown>;
      issues: ValidationIssue[];
    });

/** An event of a kind the spec does not describe yet, kept whole. */
export type UnknownEvent = ReceivedEventBase & {
  kind: "unknown";
  conforms: boolean;
  data: Record<string, unknown>;
  issues: ValidationIssue[];
};
