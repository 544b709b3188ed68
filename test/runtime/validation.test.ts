import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { RequestValidationError, type ValidationIssue } from '../../templates/core/errors.js';
import { assertValid, formatIssues, toIssues, type RawValidator } from '../../templates/core/validation.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });

const sendMessage = ajv.compile({
  type: 'object',
  required: ['recipient', 'payload'],
  additionalProperties: false,
  properties: {
    recipient: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' }, user_ref: false },
    },
    messaging_type: { enum: ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'] },
    type: { const: 'button' },
    payload: {
      type: 'object',
      properties: {
        text: { type: 'string', maxLength: 3 },
        buttons: { type: 'array', maxItems: 3 },
      },
      unevaluatedProperties: false,
    },
  },
}) as RawValidator;

function issuesFor(validator: RawValidator, data: unknown): ValidationIssue[] {
  expect(validator(data)).toBe(false);
  return toIssues(validator);
}

describe('toIssues', () => {
  it('reports pointers and messages in ajv order', () => {
    const issues = issuesFor(sendMessage, { recipient: {}, payload: { buttons: [1, 2, 3, 4] } });
    expect(issues).toEqual([
      { pointer: '/recipient', message: "must have required property 'id'" },
      { pointer: '/payload/buttons', message: 'must NOT have more than 3 items' },
    ]);
    expect(formatIssues(issues)).toBe(
      "/recipient: must have required property 'id'; /payload/buttons: must NOT have more than 3 items",
    );
  });

  it('points at the property that is not allowed', () => {
    const issues = issuesFor(sendMessage, {
      recipient: { id: '1', user_ref: 'x' },
      payload: { txt: 'typo', 'a/b~c': 1 },
      extra: true,
    });
    expect(issues).toEqual([
      { pointer: '/extra', message: 'is not allowed' },
      { pointer: '/recipient/user_ref', message: 'is not allowed' },
      { pointer: '/payload/txt', message: 'is not allowed' },
      { pointer: '/payload/a~1b~0c', message: 'is not allowed' },
    ]);
  });

  it('names the allowed values of enum and const', () => {
    const issues = issuesFor(sendMessage, { recipient: { id: '1' }, payload: {}, messaging_type: 'X', type: 'text' });
    expect(issues).toEqual([
      { pointer: '/messaging_type', message: 'must be one of "RESPONSE", "UPDATE", "MESSAGE_TAG"' },
      { pointer: '/type', message: 'must be "button"' },
    ]);
  });

  it('uses "" for the root and "(root)" when formatting', () => {
    const issues = issuesFor(sendMessage, { payload: {} });
    expect(issues).toEqual([{ pointer: '', message: "must have required property 'recipient'" }]);
    expect(formatIssues(issues)).toBe("(root): must have required property 'recipient'");
  });

  it('removes duplicates and keeps the first occurrence order', () => {
    const validator = (() => false) as RawValidator;
    validator.errors = [
      { instancePath: '/a', keyword: 'type', params: {}, message: 'must be string' },
      { instancePath: '/b', keyword: 'type', params: {}, message: 'must be string' },
      { instancePath: '/a', keyword: 'type', params: {}, message: 'must be string' },
      { instancePath: '/c', keyword: 'custom', params: {} },
    ];
    expect(toIssues(validator)).toEqual([
      { pointer: '/a', message: 'must be string' },
      { pointer: '/b', message: 'must be string' },
      { pointer: '/c', message: 'must pass "custom" keyword validation' },
    ]);
  });

  it('returns no issues when the validator has none', () => {
    const validator = (() => true) as RawValidator;
    validator.errors = null;
    expect(toIssues(validator)).toEqual([]);
  });
});

describe('assertValid and RequestValidationError', () => {
  it('throws with the operation and every issue in the message', () => {
    let caught: unknown;
    try {
      assertValid('sendMessage', sendMessage, { recipient: {}, payload: { buttons: [1, 2, 3, 4] } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RequestValidationError);
    const error = caught as RequestValidationError;
    expect(error.name).toBe('RequestValidationError');
    expect(error.operation).toBe('sendMessage');
    expect(error.message).toBe(
      "sendMessage: invalid request: /recipient: must have required property 'id'; /payload/buttons: must NOT have more than 3 items",
    );
    expect(error.issues).toHaveLength(2);
  });

  it('passes valid data', () => {
    expect(() => assertValid('sendMessage', sendMessage, { recipient: { id: '1' }, payload: { text: 'hi' } })).not.toThrow();
  });
});
