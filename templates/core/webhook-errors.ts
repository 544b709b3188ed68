import { MessengerError, type ValidationIssue } from "./errors.js";
import { formatIssues } from "./validation.js";

/** The webhook's signature header is missing or does not match the body: answer 403, do not parse. */
export class WebhookSignatureError extends MessengerError {
  override readonly name: string = "WebhookSignatureError";

  constructor(readonly header: string) {
    super(`webhook signature in ${header} is missing or does not match the body`);
  }
}

/** The webhook body is not JSON, or not the shape the spec describes: answer 400. */
export class WebhookPayloadError extends MessengerError {
  override readonly name: string = "WebhookPayloadError";

  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(issues.length ? `${message}: ${formatIssues(issues)}` : message);
  }
}
