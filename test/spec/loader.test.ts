import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../generator/load/index.js';
import { formatProblem, SpecError } from '../../generator/load/problems.js';
import { tsxLoader } from '../support/paths.js';

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const formatSchema = join(rootDir, 'spec/spec.schema.json');
const brokenDir = join(rootDir, 'test/fixtures/broken');

/** Every problem the loader reports for a spec folder, formatted as the CLI prints it. */
function problemsOf(specDir: string): string[] {
  try {
    loadSpec({ rootDir, specDir, formatSchema });
  } catch (error) {
    if (error instanceof SpecError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

const fixtureProblems = (fixture: string): string[] => problemsOf(join(brokenDir, fixture, 'spec'));

interface Case {
  fixture: string;
  expected: string[];
}

/**
 * One fixture per mistake. Each list was checked by hand against the fixture: the line and column
 * point at the offending key or value, and the message says what is wrong.
 */
const cases: Case[] = [
  // --- YAML syntax -------------------------------------------------------------------------------
  {
    fixture: 'yaml-bad-indentation',
    expected: [
      'test/fixtures/broken/yaml-bad-indentation/spec/graph/api.yaml:13:6  YAML: All mapping items must start at the same column',
    ],
  },
  {
    fixture: 'yaml-duplicate-key',
    expected: ["test/fixtures/broken/yaml-duplicate-key/spec/graph/api.yaml:13:7  YAML: Map keys must be unique: 'id' is already a key of this mapping, at line 12"],
  },
  {
    // The yaml library notices on the next key (13:3); the mistake is the '{' that is never closed.
    fixture: 'yaml-unclosed-flow',
    expected: [
      "test/fixtures/broken/yaml-unclosed-flow/spec/graph/api.yaml:12:11  YAML: flow map '{' opened here is never closed: add '}' (lines inside it must be indented more than its key)",
    ],
  },

  // --- spec format (spec.schema.json) --------------------------------------------------------------
  {
    fixture: 'unknown-top-level-key',
    expected: ["test/fixtures/broken/unknown-top-level-key/spec/graph/api.yaml:8:1  unknown key 'schema' at the top level (did you mean 'schemas'?)"],
  },
  {
    fixture: 'unknown-key-in-schema',
    expected: [
      "test/fixtures/broken/unknown-key-in-schema/spec/graph/api.yaml:14:9  unknown key 'maxLenght' in 'schemas.Recipient.properties.id' (did you mean 'maxLength'?)",
    ],
  },
  {
    fixture: 'unknown-key-in-operation',
    expected: [
      "test/fixtures/broken/unknown-key-in-operation/spec/graph/api.yaml:13:5  unknown key 'descripton' in 'operations.sendMessage' (did you mean 'description'?)",
    ],
  },
  {
    fixture: 'wrong-type',
    expected: ["test/fixtures/broken/wrong-type/spec/graph/api.yaml:11:16  'maxLength' must be an integer"],
  },
  {
    fixture: 'invalid-enum-value',
    expected: [
      "test/fixtures/broken/invalid-enum-value/spec/graph/api.yaml:10:13  'method' must be one of: GET, POST, DELETE, PUT, PATCH",
    ],
  },
  {
    // Nothing to point at for an absent key: the operation it is missing from (its first line).
    fixture: 'missing-required-key',
    expected: [
      "test/fixtures/broken/missing-required-key/spec/graph/api.yaml:10:5  missing required key 'response' in 'operations.sendMessage'",
    ],
  },
  {
    fixture: 'schema-name-not-pascal',
    expected: ["test/fixtures/broken/schema-name-not-pascal/spec/graph/api.yaml:9:3  name 'sendRequest' must be PascalCase"],
  },
  {
    fixture: 'operation-name-not-camel',
    expected: ["test/fixtures/broken/operation-name-not-camel/spec/graph/api.yaml:9:3  name 'SendMessage' must be camelCase"],
  },
  {
    fixture: 'error-name-not-pascal',
    expected: ["test/fixtures/broken/error-name-not-pascal/spec/sobot/api.yaml:14:33  name 'success' must be PascalCase"],
  },
  {
    // A text is a string or an object of languages: the string form's rule is the one that speaks.
    fixture: 'empty-text',
    expected: ["test/fixtures/broken/empty-text/spec/graph/api.yaml:4:16  'description' must not be empty"],
  },
  {
    fixture: 'example-json-and-value',
    expected: [
      "test/fixtures/broken/example-json-and-value/spec/graph/api.yaml:17:9  example 'hello' has both 'json' and 'value'; give one",
    ],
  },
  {
    fixture: 'file-not-a-mapping',
    expected: ['test/fixtures/broken/file-not-a-mapping/spec/graph/api.yaml:2:1  the file must be an object'],
  },
  {
    fixture: 'file-in-spec-root',
    expected: ['test/fixtures/broken/file-in-spec-root/spec/errors.yaml:1:1  a spec file must sit in an API folder (spec/<api>/...)'],
  },

  // --- names across files ------------------------------------------------------------------------
  {
    fixture: 'duplicate-schema-across-files',
    expected: [
      "test/fixtures/broken/duplicate-schema-across-files/spec/graph/schemas/recipient.yaml:5:3  duplicate schema name 'Recipient' (first declared at test/fixtures/broken/duplicate-schema-across-files/spec/graph/api.yaml:9:3)",
    ],
  },
  {
    fixture: 'duplicate-operation-name',
    expected: [
      "test/fixtures/broken/duplicate-operation-name/spec/graph/operations/send.yaml:3:3  duplicate operation name 'sendMessage' (first declared at test/fixtures/broken/duplicate-operation-name/spec/graph/api.yaml:9:3)",
    ],
  },
  {
    fixture: 'duplicate-example-name',
    expected: [
      "test/fixtures/broken/duplicate-example-name/spec/graph/api.yaml:16:11  duplicate example name 'greeting' (first declared at test/fixtures/broken/duplicate-example-name/spec/graph/api.yaml:12:11)",
    ],
  },
  {
    fixture: 'second-api-section',
    expected: ["test/fixtures/broken/second-api-section/spec/graph/schemas.yaml:2:1  second 'api' section for API 'graph'"],
  },
  {
    // Nothing to point at for an absent section: the API's folder.
    fixture: 'missing-api-section',
    expected: [
      "test/fixtures/broken/missing-api-section/spec/sobot:1:1  API 'sobot' has no 'api' section (put one in test/fixtures/broken/missing-api-section/spec/sobot/api.yaml)",
    ],
  },

  // --- references --------------------------------------------------------------------------------
  {
    fixture: 'dangling-ref',
    expected: ["test/fixtures/broken/dangling-ref/spec/graph/api.yaml:17:9  unknown schema 'Recipeint' in ref"],
  },
  {
    fixture: 'dangling-request-schema',
    expected: [
      "test/fixtures/broken/dangling-request-schema/spec/graph/api.yaml:14:24  unknown schema 'SendMessageRequest' in operation 'sendMessage' request",
    ],
  },
  {
    fixture: 'unknown-error-table',
    expected: [
      "test/fixtures/broken/unknown-error-table/spec/graph/api.yaml:16:14  unknown error table 'GraphErrorCodes' in operation 'sendMessage'",
    ],
  },
  {
    fixture: 'webhook-unknown-event-schema',
    expected: [
      "test/fixtures/broken/webhook-unknown-event-schema/spec/graph/api.yaml:15:52  unknown schema 'PostbackEvnt' in webhook 'pageEvents' event 'postback'",
    ],
  },
  {
    fixture: 'ref-cycle',
    expected: ['test/fixtures/broken/ref-cycle/spec/graph/api.yaml:10:5  ref cycle: Message -> Content -> Message'],
  },
  {
    // Message only leads into the cycle; the discriminator check would follow it forever.
    fixture: 'ref-cycle-discriminator',
    expected: ['test/fixtures/broken/ref-cycle-discriminator/spec/graph/api.yaml:10:5  ref cycle: Content -> Body -> Content'],
  },

  // --- operations ----------------------------------------------------------------------------------
  {
    fixture: 'request-schema-misnamed',
    expected: [
      "test/fixtures/broken/request-schema-misnamed/spec/graph/api.yaml:14:24  request schema of 'sendMessage' must be named 'SendMessageRequest'",
    ],
  },
  {
    fixture: 'runtime-missing',
    expected: ["test/fixtures/broken/runtime-missing/spec/graph/api.yaml:2:1  API 'graph' has operations but no 'runtime': say whose conventions its client follows (conventions: graph or sobot)"],
  },
  {
    fixture: 'runtime-error-schema-unknown',
    expected: ["test/fixtures/broken/runtime-error-schema-unknown/spec/graph/api.yaml:7:47  unknown schema 'ErrorBody' in the runtime's errorSchema"],
  },
  {
    fixture: 'get-with-body',
    expected: ["test/fixtures/broken/get-with-body/spec/graph/api.yaml:14:47  operation 'getMessage' is a GET and cannot send a body"],
  },
  {
    fixture: 'cursor-paging-unknown-request',
    expected: ["test/fixtures/broken/cursor-paging-unknown-request/spec/graph/api.yaml:16:15  cursorPaging.request 'cursor' of 'listThings' is not a property of ListThingsRequest"],
  },
  {
    fixture: 'shared-route-overlap',
    expected: [
      "test/fixtures/broken/shared-route-overlap/spec/graph/api.yaml:36:9  example 'thingFields' of 'getThing' is also a valid request of 'getOther', which shares its route: a server could not tell them apart",
    ],
  },
  {
    fixture: 'helper-unknown-argument',
    expected: [
      `test/fixtures/broken/helper-unknown-argument/spec/graph/api.yaml:17:7  helper 'sendName' of 'sendThing': { $arg: "nmae" } is not one of its arguments (name, color)`,
      "test/fixtures/broken/helper-unknown-argument/spec/graph/api.yaml:17:7  helper 'sendName' of 'sendThing': argument 'color' is not used in its request",
      "test/fixtures/broken/helper-unknown-argument/spec/graph/api.yaml:17:7  helper 'sendName' of 'sendThing': argument 'name' is not used in its request",
    ],
  },
  {
    fixture: 'selected-by-not-enum-list',
    expected: [
      "test/fixtures/broken/selected-by-not-enum-list/spec/graph/api.yaml:16:15  selectedBy.always 'uuid' of 'getThing' is not a property of GetThingResponse",
      "test/fixtures/broken/selected-by-not-enum-list/spec/graph/api.yaml:16:15  selectedBy.request 'fields' of 'getThing' is not a list of an enum's values in GetThingRequest",
    ],
  },
  {
    fixture: 'same-path-shape',
    expected: [
      "test/fixtures/broken/same-path-shape/spec/graph/api.yaml:20:11  paths '/{OTHER_ID}' ('deleteOther') and '/{THING_ID}' ('getThing') differ only in the names of path parameters: use one name (an operation's method argument can still have its own)",
    ],
  },
  {
    fixture: 'path-argument-taken',
    expected: [
      "test/fixtures/broken/path-argument-taken/spec/graph/api.yaml:15:7  path parameter 'OPTIONS' of 'getThing' would be the method argument 'options', which is not a free name: rename it or give it a clientOption",
    ],
  },
  {
    fixture: 'path-param-undeclared',
    expected: [
      "test/fixtures/broken/path-param-undeclared/spec/graph/api.yaml:11:11  path parameter '{PAGE_ID}' of 'sendMessage' is not declared in pathParams",
    ],
  },
  {
    fixture: 'path-param-not-in-path',
    expected: [
      "test/fixtures/broken/path-param-not-in-path/spec/graph/api.yaml:15:7  pathParams 'PAGE_ID' of 'sendMessage' does not appear in the path",
    ],
  },

  // --- error tables --------------------------------------------------------------------------------
  {
    fixture: 'duplicate-error-code',
    expected: [
      "test/fixtures/broken/duplicate-error-code/spec/graph/errors.yaml:11:9  duplicate error code 100 in table 'GraphErrorCode' (also 'InvalidParameter')",
    ],
  },
  {
    fixture: 'duplicate-error-name',
    expected: [
      "test/fixtures/broken/duplicate-error-name/spec/graph/api.yaml:16:9  duplicate error name 'InvalidParameter' in table 'GraphErrorCode'",
    ],
  },
  {
    fixture: 'error-code-type-mismatch',
    expected: [
      'test/fixtures/broken/error-code-type-mismatch/spec/graph/api.yaml:16:9  error code "100" must be an integer in table \'GraphErrorCode\'',
    ],
  },

  // --- schemas ---------------------------------------------------------------------------------------
  {
    fixture: 'discriminator-branch-without-const',
    expected: [
      "test/fixtures/broken/discriminator-branch-without-const/spec/graph/api.yaml:24:9  oneOf branch 2 has no const 'type' for the discriminator",
    ],
  },
  {
    fixture: 'discriminator-without-oneof',
    expected: ["test/fixtures/broken/discriminator-without-oneof/spec/graph/api.yaml:18:5  discriminator 'type' needs a oneOf"],
  },
  {
    fixture: 'required-not-declared',
    expected: [
      "test/fixtures/broken/required-not-declared/spec/graph/api.yaml:12:20  required property 'user_ref' is not declared in properties",
    ],
  },
  {
    fixture: 'required-and-forbidden',
    expected: [
      "test/fixtures/broken/required-and-forbidden/spec/graph/api.yaml:18:25  property 'user_ref' is both required and forbidden",
    ],
  },
  {
    fixture: 'duplicate-enum-value',
    expected: [
      'test/fixtures/broken/duplicate-enum-value/spec/graph/api.yaml:16:9  duplicate enum value "SILENT_PUSH" in schema \'NotificationType\'',
    ],
  },
  {
    fixture: 'min-length-over-max-length',
    expected: [
      'test/fixtures/broken/min-length-over-max-length/spec/graph/api.yaml:12:5  minLength 30 is greater than maxLength 20',
    ],
  },
  {
    // ajv compiles patterns as unicode regular expressions.
    fixture: 'pattern-not-a-regex',
    expected: [
      "test/fixtures/broken/pattern-not-a-regex/spec/graph/api.yaml:11:14  pattern '^[0-9+$' is not a valid regular expression: Unterminated character class",
    ],
  },

  // --- examples --------------------------------------------------------------------------------------
  {
    fixture: 'example-wrong-type',
    expected: [
      "test/fixtures/broken/example-wrong-type/spec/graph/api.yaml:20:28  example 'hello' does not match schema 'SendTextRequest': /recipient_id: must be string",
    ],
  },
  {
    fixture: 'example-over-max-length',
    expected: [
      "test/fixtures/broken/example-over-max-length/spec/graph/api.yaml:20:44  example 'hello' does not match schema 'SendTextRequest': /text: must NOT have more than 10 characters",
    ],
  },
  {
    fixture: 'example-missing-required',
    expected: [
      "test/fixtures/broken/example-missing-required/spec/graph/api.yaml:19:16  example 'hello' does not match schema 'SendTextRequest': /: must have required property 'recipient_id'",
    ],
  },
  {
    // The wording of the JSON error is V8's (Node 20); the loader adds the line inside the JSON text.
    fixture: 'example-invalid-json',
    expected: [
      "test/fixtures/broken/example-invalid-json/spec/graph/api.yaml:22:23  example 'hello' is not valid JSON: a trailing comma before '}' (line 3 of the JSON text)",
    ],
  },
  {
    fixture: 'example-invalid-but-valid',
    expected: [
      "test/fixtures/broken/example-invalid-but-valid/spec/graph/api.yaml:17:9  example 'placeholder' is marked valid: false but matches schema 'SendTextRequest'",
    ],
  },
  {
    fixture: 'example-fails-elsewhere',
    expected: [
      "test/fixtures/broken/example-fails-elsewhere/spec/graph/api.yaml:17:9  example 'placeholder' is expected to fail at '/text' but fails at '/recipient_id'",
    ],
  },
];

describe('loadSpec on broken fixtures', () => {
  it.each(cases)('$fixture', ({ fixture, expected }) => {
    expect(fixtureProblems(fixture)).toEqual(expected);
  });

  it('every fixture folder has a case', () => {
    const known = new Set([...cases.map((c) => c.fixture), 'multiple-problems']);
    const folders = readdirSync(brokenDir).filter((name) => !known.has(name));
    expect(folders).toEqual([]);
  });

  it('reads a spec written before `runtime` with the runtime it is given (spec:diff, an older side)', () => {
    const specDir = join(brokenDir, 'runtime-missing', 'spec');
    const model = loadSpec({ rootDir, specDir, formatSchema: join(rootDir, 'spec', 'spec.schema.json'), runtimeFor: (api) => (api === 'graph' ? { conventions: 'graph', loc: { file: 'x', line: 1, col: 1 } } : undefined) });
    expect(model.apis[0]!.runtime?.conventions).toBe('graph');
  });

  it('reports problems of several files and stages at once, sorted by file and position', () => {
    // graph/api.yaml has two format mistakes in reverse order of the format schema's sections,
    // graph/schemas/message.yaml a YAML syntax error, sobot/api.yaml an unknown key.
    const expected = [
      "test/fixtures/broken/multiple-problems/spec/graph/api.yaml:10:13  'method' must be one of: GET, POST, DELETE, PUT, PATCH",
      "test/fixtures/broken/multiple-problems/spec/graph/api.yaml:20:16  'maxLength' must be an integer",
      "test/fixtures/broken/multiple-problems/spec/graph/schemas/message.yaml:7:7  YAML: Map keys must be unique: 'text' is already a key of this mapping, at line 6",
      "test/fixtures/broken/multiple-problems/spec/sobot/api.yaml:14:77  unknown key 'retry' in 'errorTables.SobotRetCode.entries.0'",
    ];
    expect(fixtureProblems('multiple-problems')).toEqual(expected);
  });
});

/** Loads a one-file spec (graph/api.yaml: a valid api section plus `schemas`) from a temporary folder. */
function problemsOfSchemas(schemas: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'loader-test-'));
  try {
    mkdirSync(join(dir, 'spec/graph'), { recursive: true });
    const api = [
      'api:',
      '  title: Temporary spec',
      '  description: Built by a loader test.',
      '  baseUrl: https://api.example.test',
      '  auth: { kind: bearer, name: access_token }',
      'schemas:',
    ].join('\n');
    writeFileSync(join(dir, 'spec/graph/api.yaml'), `${api}\n${schemas}`);
    return problemsOf(join(dir, 'spec')).map((p) => p.replace(/^.*?api\.yaml:/, 'api.yaml:'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Loads a spec of a valid graph/api.yaml plus one more file, written as given (text or raw bytes). */
function problemsWithFile(name: string, content: string | Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'loader-test-'));
  try {
    mkdirSync(join(dir, 'spec/graph'), { recursive: true });
    const api = ['api:', '  title: Temporary spec', '  description: Built by a loader test.', '  baseUrl: https://api.example.test', '  auth: { kind: bearer, name: access_token }', ''].join('\n');
    writeFileSync(join(dir, 'spec/graph/api.yaml'), api);
    writeFileSync(join(dir, 'spec/graph', name), content);
    return problemsOf(join(dir, 'spec')).map((p) => p.replace(/^.*?spec\/graph\//, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('files the parser must not be handed as they are', () => {
  it('names a file that is not UTF-8, at its first bad byte (GBK)', () => {
    // "主页" in GBK is D6 F7 D2 B3: not UTF-8.
    const bytes = Buffer.concat([Buffer.from('schemas:\n  Page:\n    description: { zh: "'), Buffer.from([0xd6, 0xf7, 0xd2, 0xb3]), Buffer.from('" }\n    type: string\n')]);
    expect(problemsWithFile('page.yaml', bytes)).toEqual([
      'page.yaml:3:25  the file is not UTF-8: byte 0xD6 (at byte 41) is not valid UTF-8; save the file as UTF-8 (it may be in GBK or Latin-1)',
    ]);
  });

  it('names a file that is not UTF-8 (Latin-1), counting columns in characters before it', () => {
    const bytes = Buffer.concat([Buffer.from('schemas:\n  Größe:\n    description: { de: "Gr'), Buffer.from([0xf6, 0xdf, 0x65]), Buffer.from('" }\n')]);
    expect(problemsWithFile('size.yaml', bytes)).toEqual([
      'size.yaml:3:27  the file is not UTF-8: byte 0xF6 (at byte 46) is not valid UTF-8; save the file as UTF-8 (it may be in GBK or Latin-1)',
    ]);
  });

  it('names an empty file, and one with only comments', () => {
    expect(problemsWithFile('empty.yaml', '')).toEqual([
      'empty.yaml:1:1  the file is empty: a spec file holds at least one section (api, schemas, operations, webhooks, errorTables)',
    ]);
    expect(problemsWithFile('comments.yaml', '# to do\n\n# later\n')).toEqual([
      'comments.yaml:1:1  the file is empty: a spec file holds at least one section (api, schemas, operations, webhooks, errorTables)',
    ]);
  });

  it('reports an alias bomb at its first alias, without expanding it', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const text = `x-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    expect(problemsWithFile('bomb.yaml', text)).toEqual([
      'bomb.yaml:3:10  YAML: the aliases (*name) expand to more than 100 copies of their anchors; the loader does not expand them (an alias bomb?)',
    ]);
  });

  it('reports 5,000 nested flow brackets at the bracket past the limit', () => {
    const text = `schemas:\n  Deep:\n    x-deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(problemsWithFile('flow.yaml', text)).toEqual([
      'flow.yaml:3:266  YAML: nested more than 256 levels deep here; the loader stops at 256 (a spec needs far fewer)',
    ]);
  });

  it('reports 1,500 levels of block nesting at the line past the limit', () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    expect(problemsWithFile('block.yaml', `${lines.join('\n')} end\n`)).toEqual([
      'block.yaml:257:257  YAML: nested more than 256 levels deep here; the loader stops at 256 (a spec needs far fewer)',
    ]);
  });

  it('does not count brackets, quotes or indentation inside comments, quoted and block scalars', () => {
    const text = [
      'schemas:',
      '  Quoted:',
      '    type: string',
      `    description: { en: "${'['.repeat(300)}", de: 'don''t ${'{'.repeat(300)}' } # ${'['.repeat(300)}`,
      "    title: don't [stop",
      '    examples:',
      '      - name: block',
      '        source: test',
      '        value: |',
      ...Array.from({ length: 300 }, (_, i) => `${' '.repeat(10 + i)}${'{'.repeat(3)}`),
    ].join('\n');
    expect(problemsWithFile('quoted.yaml', `${text}\n`)).toEqual([]);
  });
});

describe('every problem of every stage in one run', () => {
  it('a bad method (format), a duplicate schema (model) and a dangling ref (meaning) together, and an example still checked', () => {
    const text = [
      'operations:',
      '  send:',
      '    method: SEND',
      '    path: /send',
      '    summary: { en: Send }',
      '    source: test',
      '    request: { schema: Body, in: body }',
      '    response: { schema: Body }',
      'schemas:',
      '  Body:',
      '    type: object',
      '    properties:',
      '      to: { ref: Recipeint }',
      '  Note:',
      '    type: string',
      '    maxLength: 3',
      '    examples:',
      '      - { name: long, source: test, value: toolong }',
      '  Twice:',
      '    type: string',
      '',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'loader-test-'));
    try {
      mkdirSync(join(dir, 'spec/graph'), { recursive: true });
      writeFileSync(join(dir, 'spec/graph/api.yaml'), ['api:', '  title: T', '  description: D', '  baseUrl: https://api.example.test', '  auth: { kind: bearer, name: access_token }', 'schemas:', '  Twice: { type: integer }', ''].join('\n'));
      writeFileSync(join(dir, 'spec/graph/ops.yaml'), text);
      const shorter = (line: string) => line.replace(/^.*?spec\/graph\//, '').replace(/first declared at .*?spec\/graph\//, 'first declared at spec/graph/');
      expect(problemsOf(join(dir, 'spec')).map(shorter)).toEqual([
        "ops.yaml:3:13  'method' must be one of: GET, POST, DELETE, PUT, PATCH",
        "ops.yaml:13:11  unknown schema 'Recipeint' in ref",
        "ops.yaml:18:44  example 'long' does not match schema 'Note': /: must NOT have more than 3 characters",
        "ops.yaml:19:3  duplicate schema name 'Twice' (first declared at spec/graph/api.yaml:7:3)",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a composed schema requiring a property none of its parts declares: once, at the required line, without echoes from the examples', () => {
    const schemas = `
  Part:
    type: object
    properties:
      id: { type: string }
  Whole:
    allOf:
      - ref: Part
      - type: object
        properties:
          name: { type: string }
    required: [id, nmae]
    examples:
      - { name: one, source: test, value: { id: "1", name: x } }
  User:
    type: object
    properties:
      whole: { ref: Whole }
    examples:
      - { name: two, source: test, value: { whole: { id: "1", name: x } } }
`;
    expect(problemsOfSchemas(schemas)).toEqual([
      "api.yaml:18:20  required property 'nmae' is declared neither here nor in the schemas this one is composed of",
    ]);
  });

  it('an api section with a format mistake is not reported again as missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loader-test-'));
    try {
      mkdirSync(join(dir, 'spec/graph'), { recursive: true });
      writeFileSync(join(dir, 'spec/graph/api.yaml'), ['api:', '  title: T', '  description: D', '  baseUrl: 42', '  auth: { kind: bearer, name: access_token }', ''].join('\n'));
      writeFileSync(join(dir, 'spec/graph/more.yaml'), ['schemas:', '  B: { type: string }', ''].join('\n'));
      expect(problemsOf(join(dir, 'spec')).map((p) => p.replace(/^.*?spec\/graph\//, ''))).toEqual(["api.yaml:4:12  'baseUrl' must be a string"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an entry with a format mistake is left out, and what refers to it is not reported again', () => {
    const schemas = `
  Broken:
    type: object
    maxLenght: 3
  User:
    type: object
    properties:
      broken: { ref: Broken }
`;
    expect(problemsOfSchemas(schemas)).toEqual(["api.yaml:10:5  unknown key 'maxLenght' in 'schemas.Broken' (did you mean 'maxLength'?)"]);
  });
});

describe('YAML mistakes: the real one, not its echoes', () => {
  const api = ['api:', '  title: T', '  description: D', '  baseUrl: https://api.example.test', '  auth: { kind: bearer, name: access_token }', 'schemas:', '  A:', '    type: object', '    properties:'];
  it('a tab used as indentation: one problem, at the tab', () => {
    const text = [...api, '\tid: { type: string }', '      name: { type: string }', '      other: { type: string }', '  B:', '    type: string', ''].join('\n');
    expect(problemsWithFile('tab.yaml', text)).toEqual(['tab.yaml:10:1  YAML: Tabs are not allowed as indentation']);
  });

  it('a key indented one space short: one problem, at the key', () => {
    const text = [...api, '      id: { type: string }', '     name: { type: string }', '      other: { type: string }', '  B:', '    type: string', ''].join('\n');
    expect(problemsWithFile('indent.yaml', text)).toEqual(['indent.yaml:11:6  YAML: All mapping items must start at the same column']);
  });
});

describe('examples: each mistake at its own value', () => {
  const schemas = `
  Order:
    type: object
    properties:
      items:
        type: array
        items:
          type: object
          properties:
            sku: { type: string, maxLength: 4 }
            count: { type: integer }
`;
  it('a value deep inside a YAML example, and a second one', () => {
    const examples = `    examples:
      - name: deep
        source: test
        value:
          items:
            - { sku: ok, count: 1 }
            - sku: toolong
              count: two
`;
    expect(problemsOfSchemas(schemas + examples)).toEqual([
      "api.yaml:24:20  example 'deep' does not match schema 'Order': /items/1/sku: must NOT have more than 4 characters",
      "api.yaml:25:22  example 'deep' does not match schema 'Order': /items/1/count: must be integer",
    ]);
  });

  it('a value deep inside a JSON text example, and its syntax errors at the character', () => {
    const json = (text: string) => `    examples:
      - name: text
        source: test
        json: |
${text.split('\n').map((l) => `          ${l}`).join('\n')}
`;
    expect(problemsOfSchemas(schemas + json('{"items": [\n  {"sku": "ok"},\n  {"sku": "toolong"}\n]}'))).toEqual([
      "api.yaml:24:21  example 'text' does not match schema 'Order': /items/1/sku: must NOT have more than 4 characters",
    ]);
    expect(problemsOfSchemas(schemas + json("{\"items\": [{'sku': 'ok'}]}"))).toEqual([
      "api.yaml:22:23  example 'text' is not valid JSON: unexpected \"'\" where a key in double quotes should be (line 1 of the JSON text)",
    ]);
    expect(problemsOfSchemas(schemas + json('{"items": [\n  {"sku": "ok"}\n  {"sku": "x"}\n]}'))).toEqual([
      "api.yaml:24:13  example 'text' is not valid JSON: unexpected \"{\" where ',' or ']' should be (line 3 of the JSON text)",
    ]);
    expect(problemsOfSchemas(schemas + json('{"items": [{"sku": "never closed}]}'))).toEqual([
      "api.yaml:22:30  example 'text' is not valid JSON: a string that is not closed on its line (line 1 of the JSON text)",
    ]);
  });
});

describe('reference cycles', () => {
  it('allows recursion through properties, items and additionalProperties (a tree)', () => {
    const schemas = `
  TreeNode:
    type: object
    required: [label]
    properties:
      label: { type: string }
      parent: { ref: TreeNode }
      children: { type: array, items: { ref: TreeNode } }
      byName: { type: object, additionalProperties: { ref: TreeNode } }
    examples:
      - name: small
        source: test
        value: { label: root, children: [{ label: leaf, children: [] }], byName: { x: { label: x } } }
  Expr:
    oneOf:
      - { ref: Literal }
      - { ref: Sum }
  Literal:
    type: object
    required: [value]
    properties: { value: { type: number } }
  Sum:
    type: object
    required: [left, right]
    properties:
      left: { ref: Expr }
      right: { allOf: [{ ref: Expr }] }
`;
    expect(problemsOfSchemas(schemas)).toEqual([]);
  });

  it('reports a cycle through allOf and oneOf once, at its first schema', () => {
    const schemas = `
  Outer:
    ref: A
  A:
    allOf:
      - ref: B
  B:
    oneOf:
      - ref: A
      - { type: string }
  Self:
    ref: Self
`;
    expect(problemsOfSchemas(schemas)).toEqual([
      'api.yaml:11:5  ref cycle: A -> B -> A',
      'api.yaml:18:5  ref cycle: Self -> Self',
    ]);
  });
});

describe('the CLI on a broken spec', () => {
  it('prints the problems, no stack trace, and exits 1', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', tsxLoader, 'generator/cli.ts', '--spec-only', '--spec', 'test/fixtures/broken/dangling-ref/spec'],
      { cwd: rootDir, encoding: 'utf8', timeout: 300_000 },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      "test/fixtures/broken/dangling-ref/spec/graph/api.yaml:17:9  unknown schema 'Recipeint' in ref\n",
    );
    expect(result.stderr).toContain('1 problem in the spec; nothing was generated.');
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(result.stderr).not.toMatch(/Error:/);
  }, 300_000);
});

describe('the real spec', () => {
  it('loads clean', () => {
    expect(problemsOf(join(rootDir, 'spec'))).toEqual([]);
  }, 300_000);
});
