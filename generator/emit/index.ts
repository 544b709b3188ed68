import { emitBatchItems } from "./batch-items.js";
import { emitClients } from "./client.js";
import { emitErrors } from "./errors.js";
import { emitHelpers } from "./helpers.js";
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

/**
 * One emitter per output kind. The OpenAPI types come first: their emitter hands its documents to
 * the helper thread and waits, so the thread works while the others emit. Otherwise the order
 * here is only the order files are produced in.
 */
export const emitters: Emitter[] = [
  emitOpenApiTypes,
  emitPackageFiles,
  emitRuntime,
  emitJsonSchemas,
  emitTypes,
  emitValidators,
  emitErrors,
  emitClients,
  emitBatchItems,
  emitHelpers,
  emitWebhooks,
  emitWebhookEndpoints,
  emitTesting,
  emitIndexes,
  emitOpenApi,
  emitReferenceDocs,
];
