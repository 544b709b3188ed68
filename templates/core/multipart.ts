/**
 * Requests that may carry files: JSON without one, multipart/form-data with one (one part per
 * property). A stream is read once, before the first attempt, so that a retry sends the same bytes.
 */

import { MessengerError } from "./errors.js";

/** A file's bytes: a Blob (or File), a Uint8Array (a Node Buffer is one), a stream of bytes, or text. */
export type BinaryData = Blob | Uint8Array | ReadableStream<Uint8Array> | string;

/** A file part: its bytes, the name it is sent under, and its media type. */
export interface FileUpload {
  data: BinaryData;
  filename: string;
  /** e.g. image/png. Default: a Blob's own type, else application/octet-stream. */
  contentType?: string;
}

/** Whether `value` is something a file part can be made of (see BinaryData). */
export function isBinaryData(value: unknown): value is BinaryData {
  return (
    typeof value === "string" ||
    value instanceof Uint8Array ||
    (typeof Blob !== "undefined" && value instanceof Blob) ||
    (typeof ReadableStream !== "undefined" && value instanceof ReadableStream)
  );
}

/**
 * The body of a call: the request itself (JSON) when it holds none of `files`, else the request
 * as multipart/form-data (see toFormData).
 */
export async function withFiles(
  operation: string,
  request: unknown,
  files: readonly string[],
): Promise<{ body: unknown } | { form: FormData }> {
  const fields = typeof request === "object" && request !== null ? (request as Record<string, unknown>) : {};
  const hasFile = files.some((name) => fields[name] !== undefined);
  return hasFile ? { form: await toFormData(operation, request, files) } : { body: request };
}

/**
 * The request as multipart/form-data: each file part from its FileUpload, each other property as
 * text (objects and lists as JSON, as Graph reads a `message` part). Absent properties are left out.
 */
export async function toFormData(
  operation: string,
  request: unknown,
  files: readonly string[],
): Promise<FormData> {
  const form = new FormData();
  const fields = typeof request === "object" && request !== null ? (request as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (files.includes(name)) {
      const upload = value as FileUpload;
      form.append(name, await toBlob(operation, name, upload), upload.filename);
    } else {
      form.append(name, typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));
    }
  }
  return form;
}

async function toBlob(operation: string, name: string, upload: FileUpload): Promise<Blob> {
  const { data } = upload;
  if (!isBinaryData(data)) {
    throw new MessengerError(
      `${operation}: ${name}.data must be a Blob, a Uint8Array, a ReadableStream of bytes or text; nothing was sent`,
    );
  }
  const blob = data instanceof Blob ? data : await new Response(data as BodyInit).blob();
  const type = upload.contentType ?? (blob.type || "application/octet-stream");
  return blob.type === type ? blob : new Blob([blob], { type });
}
