import { describe, expect, it } from 'vitest';
import type { Check } from '../../templates/core/check.js';
import { RequestValidationError } from '../../templates/core/errors.js';
import { assertValid, formatIssues, issuesOf } from '../../templates/core/validation.js';
import { compileChecks } from '../support/compile-checks.js';

const { Send } = await compileChecks({
  Send: {
    type: 'object',
    required: ['recipient'],
    properties: {
      recipient: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      buttons: { type: 'array', maxItems: 3 },
    },
  },
});

describe('issuesOf and formatIssues', () => {
  it('uses "" for the root and "(root)" when formatting', () => {
    const issues = issuesOf(Send!, {});
    expect(issues).toEqual([{ pointer: '', message: "must have required property 'recipient'" }]);
    expect(formatIssues(issues)).toBe("(root): must have required property 'recipient'");
  });

  it('lists an issue a check reports twice once, in the order first reported', () => {
    const twice: Check = (_value, pointer, issues) => {
      issues?.push({ pointer: `${pointer}/a`, message: 'must be string' }, { pointer: `${pointer}/b`, message: 'must be string' });
      issues?.push({ pointer: `${pointer}/a`, message: 'must be string' });
      return false;
    };
    expect(issuesOf(twice, 1)).toEqual([
      { pointer: '/a', message: 'must be string' },
      { pointer: '/b', message: 'must be string' },
    ]);
  });

  it('returns no issues for a valid value', () => {
    expect(issuesOf(Send!, { recipient: { id: '1' } })).toEqual([]);
  });
});

describe('assertValid and RequestValidationError', () => {
  it('throws with the operation and every issue in the message', () => {
    let caught: unknown;
    try {
      assertValid('sendMessage', Send!, { recipient: {}, buttons: [1, 2, 3, 4] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RequestValidationError);
    const error = caught as RequestValidationError;
    expect(error.name).toBe('RequestValidationError');
    expect(error.operation).toBe('sendMessage');
    expect(error.message).toBe(
      "sendMessage: invalid request: /recipient: must have required property 'id'; /buttons: must NOT have more than 3 items",
    );
    expect(error.issues).toHaveLength(2);
  });

  it('passes valid data', () => {
    expect(() => assertValid('sendMessage', Send!, { recipient: { id: '1' } })).not.toThrow();
  });
});
