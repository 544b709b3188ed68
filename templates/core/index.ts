/**
 * The runtime's public surface. Generated clients import the cores
 * (graph-core.js, sobot-core.js) directly; users get these through the package.
 */

export {
  ApiError,
  ConnectionError,
  GraphApiError,
  HttpError,
  MessengerError,
  RedirectError,
  RequestValidationError,
  SobotApiError,
  TimeoutError,
  SendRateLimitError,
  TokenStoreError,
  type ErrorInfo,
  type ErrorPolicy,
  type LocalizedText,
  type RequestOutcome,
  type ValidationIssue,
} from "./errors.js";
export type { FetchLike, RequestOptions } from "./transport.js";
export type { BinaryData, FileUpload } from "./multipart.js";
export {
  BatchItemUnfinishedError,
  MAX_BATCH_ITEMS,
  type BatchItem,
  type BatchItemOptions,
  type BatchResult,
  type BatchResults,
} from "./graph-batch.js";
export type { AccessTokenSource, GraphClientOptions } from "./graph-core.js";
export type { SobotClientOptions } from "./sobot-core.js";
export {
  MemoryTokenStore,
  TokenManager,
  type StoredToken,
  type TokenLock,
  type TokenManagerOptions,
  type TokenStore,
} from "./token.js";
export { RedisTokenStore, type RedisClientLike, type RedisTokenStoreOptions } from "./redis-token-store.js";
export {
  DEFAULT_RETRY,
  parseRetryAfter,
  retryReason,
  type RetryEvent,
  type RetryOptions,
  type RetryPolicy,
  type RetryReason,
} from "./retry.js";
export {
  DEFAULT_MAX_WEBHOOK_BODY_BYTES,
  processWebhook,
  webhookFetchHandler,
  type WebhookEndpoint,
  type WebhookEndpointOptions,
  type WebhookInput,
  type WebhookReply,
} from "./webhook-handler.js";
export {
  isRateLimitError,
  RedisRateLimiter,
  type RedisRateLimiterOptions,
  type SendRateLimiter,
} from "./rate-limit.js";
export type { RedisCommandClient } from "./redis-command.js";
export { iteratePages, type Page } from "./paging.js";
export {
  answerVerification,
  verifyHmacSha256Signature,
  type VerificationParams,
  type VerificationResult,
} from "./signature.js";
export { formatIssues } from "./validation.js";
export { md5Hex } from "./md5.js";
export { WebhookPayloadError, WebhookSignatureError } from "./webhook-errors.js";
export { sobotSign } from "./sobot-core.js";
