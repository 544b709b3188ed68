import { emitClients } from "./client.js";
import { emitErrors } from "./errors.js";
import { emitIndexes } from "./indexes.js";
import { emitJsonSchemas } from "./json-schema.js";
import { emitOpenApi } from "./openapi.js";
import { emitOpenApiTypes } from "./openapi-types.js";
import { emitPackageFiles } from "./package-files.js";
import { emitReferenceDocs } from "./reference-docs.js";
import { emitRuntime } from "./runtime.js";
import { emitTesting } from "./testing.js";
import type { Emitter } from "./types.js";
import { emitTypes } from "./types-file.js";
import { emitValidators } from "./validators.js";
import { emitWebhookEndpoints } from "./webhook-endpoints.js";
import { emitWebhooks } from "./webhooks.js";

/** One emitter per output kind; the order here is only the order files are produced in. */
export const emitters: Emitter[] = [
  emitPackageFiles,
  emitRuntime,
  emitJsonSchemas,
  emitTypes,
  emitValidators,
  emitErrors,
  emitClients,
  emitWebhooks,
  emitWebhookEndpoints,
  emitTesting,
  emitIndexes,
  emitOpenApi,
  emitOpenApiTypes,
  emitReferenceDocs,
];
