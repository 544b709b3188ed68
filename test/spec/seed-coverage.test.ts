/**
 * Counts the spec against the seed documents (/work/shared/seeds, see their README): every
 * endpoint, field, enum value, example and error code they give must be in spec/. The lists below
 * are copied from the seeds by hand, never computed from the spec, so a deletion in the spec shows.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../generator/load/index.js';
import { formatProblem, SpecError } from '../../generator/load/problems.js';
import type { ApiModel, ErrorTable, Example, Operation, SchemaNode, SpecModel } from '../../generator/model/types.js';

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let loaded: SpecModel | undefined;
function model(): SpecModel {
  if (loaded) return loaded;
  try {
    loaded = loadSpec({ rootDir, specDir: join(rootDir, 'spec'), formatSchema: join(rootDir, 'spec/spec.schema.json') });
  } catch (error) {
    if (error instanceof SpecError) {
      throw new Error(`the spec does not load:\n${error.problems.map(formatProblem).join('\n')}`);
    }
    throw error;
  }
  return loaded;
}

type ApiName = 'graph' | 'sobot';

function api(name: ApiName): ApiModel {
  const found = model().apis.find((a) => a.name === name);
  if (!found) throw new Error(`the spec has no API '${name}' (spec/${name}/)`);
  return found;
}

function operation(apiName: ApiName, path: string): Operation {
  const found = api(apiName).operations.find((op) => op.path === path);
  if (!found) throw new Error(`${apiName} has no operation with path ${path}`);
  return found;
}

function namedSchema(a: ApiModel, name: string): SchemaNode | undefined {
  return a.schemas.find((s) => s.name === name)?.schema;
}

/** Direct sub-schemas: properties, items, additionalProperties, oneOf, allOf. */
function subSchemas(node: SchemaNode): SchemaNode[] {
  const out: SchemaNode[] = [];
  if (node.properties) out.push(...Object.values(node.properties));
  if (node.items) out.push(node.items);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.push(node.additionalProperties);
  if (node.oneOf) out.push(...node.oneOf);
  if (node.allOf) out.push(...node.allOf);
  return out;
}

/** Visits every node reachable from the roots, following `ref` into named schemas (each once). */
function walk(a: ApiModel, roots: SchemaNode[], visit: (node: SchemaNode) => void): void {
  const seenRefs = new Set<string>();
  const go = (node: SchemaNode): void => {
    visit(node);
    if (node.ref && !seenRefs.has(node.ref)) {
      seenRefs.add(node.ref);
      const target = namedSchema(a, node.ref);
      if (target) go(target);
    }
    subSchemas(node).forEach(go);
  };
  roots.forEach(go);
}

/** The enum and const values a property's schema allows (through refs, oneOf, allOf, items). */
function allowedValues(a: ApiModel, node: SchemaNode, seenRefs = new Set<string>()): string[] {
  const out: string[] = [];
  if (node.enum) out.push(...node.enum.map((e) => String(e.value)));
  if (node.const !== undefined) out.push(String(node.const));
  if (node.ref && !seenRefs.has(node.ref)) {
    seenRefs.add(node.ref);
    const target = namedSchema(a, node.ref);
    if (target) out.push(...allowedValues(a, target, seenRefs));
  }
  for (const branch of [...(node.oneOf ?? []), ...(node.allOf ?? [])]) out.push(...allowedValues(a, branch, seenRefs));
  if (node.items) out.push(...allowedValues(a, node.items, seenRefs));
  return out;
}

/** Property name -> every enum/const value any property of that name allows, reachable from the roots. */
function valuesByProperty(a: ApiModel, roots: SchemaNode[]): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  walk(a, roots, (node) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const set = byName.get(name) ?? new Set<string>();
      allowedValues(a, child).forEach((v) => set.add(v));
      byName.set(name, set);
    }
  });
  return byName;
}

function propertyNames(a: ApiModel, roots: SchemaNode[]): Set<string> {
  const names = new Set<string>();
  walk(a, roots, (node) => Object.keys(node.properties ?? {}).forEach((n) => names.add(n)));
  return names;
}

function allSchemas(a: ApiModel): SchemaNode[] {
  return a.schemas.map((s) => s.schema);
}

function webhookSchemas(a: ApiModel): SchemaNode[] {
  const names = a.webhooks.flatMap((w) => [w.payload, ...w.events.map((e) => e.schema)]);
  return names.map((n) => namedSchema(a, n)).filter((s): s is SchemaNode => s !== undefined);
}

function operationSchema(a: ApiModel, op: Operation, side: 'request' | 'response'): SchemaNode[] {
  const schema = namedSchema(a, op[side].schema);
  return schema ? [schema] : [];
}

/** Every example on every schema node of every API. */
function allExamples(): Example[] {
  const out: Example[] = [];
  for (const a of model().apis) {
    const go = (node: SchemaNode): void => {
      out.push(...(node.examples ?? []));
      subSchemas(node).forEach(go);
    };
    allSchemas(a).forEach(go);
  }
  return out;
}

/** The table of the API that holds the most of the codes (the codes are compared as text). */
function bestTable(a: ApiModel, codes: string[]): ErrorTable | undefined {
  let best: ErrorTable | undefined;
  let bestCount = -1;
  for (const table of a.errorTables) {
    const have = new Set(table.entries.map((e) => String(e.code)));
    const count = codes.filter((c) => have.has(c)).length;
    if (count > bestCount) [best, bestCount] = [table, count];
  }
  return best;
}

function missingCodes(apiName: ApiName, codes: string[]): string[] {
  const table = bestTable(api(apiName), codes);
  if (!table) return [`${apiName} has no error table (expected codes ${codes.join(', ')})`];
  const have = new Set(table.entries.map((e) => String(e.code)));
  return codes.filter((c) => !have.has(c)).map((c) => `${apiName} table '${table.name}' lacks code ${c}`);
}

// ------------------------------------------------------------------------------------------------
// Error codes
// ------------------------------------------------------------------------------------------------

/** 000/001 错误 | 描述 (Graph error.code). */
const graphErrorCodes = ['551', '100', '2022', '190', '613', '10903', '368', '10900', '200', '10904'];

/** 003 错误编码: 操作成功, 系统异常, 业务异常 (ret_code). */
const sobotRetCodes = [
  '000000',
  '900001', '900002', '999999',
  '210001', '210002', '210003', '210004', '210005', '210006', '210007', '210008', '210009', '210010', '210011',
  '210012', '210013',
];

/**
 * 003 error_code (the send-record item's error_code), in the seed's order: 82 rows, of which 1545041
 * twice, so 81 codes.
 */
const sobotSendRecordErrorCodes = [
  '1', '1357046', '2', '2018344', '4', '2018354', '2018352', '10', '1404170', '1893015', '2018336', '2534022',
  '2534077', '2018278', '2018065', '2018108', '100', '33', '2018001', '2018008', '2018014', '2018047', '2018074',
  '2018109', '2018164', '2018294', '2018320', '2018328', '2534013', '2534014', '2534015', '2534025', '2534029',
  '2534037', '190', '200', '1545041', '2018021', '2018027', '2018028', '2534041', '551', /* 1545041 again */
  '1893016', '2018338', '2534040', '2022', '10303', '24001', '24002', '24005', '36103', '2018144', '2018154',
  '2018163', '2018166', '2018171', '2018218', '2018234', '2018247', '2018300', '2018321', '2071010', '2071011',
  '2071014', '2071015', '2071016', '2071017', '2071018', '2071019', '2071020', '2071021', '2071022', '2071023',
  '2071024', '2071025', '9000001', '1893022', '000000', '999997', '999998', '999999',
];

describe('error codes of the seeds', () => {
  it('every Graph error code (000/001)', () => {
    expect(missingCodes('graph', graphErrorCodes), 'Graph error codes missing').toEqual([]);
  });

  it('every Sobot ret_code (003 错误编码)', () => {
    expect(missingCodes('sobot', sobotRetCodes), 'Sobot ret_codes missing').toEqual([]);
  });

  it('every send-record error_code (003 error_code)', () => {
    expect(new Set(sobotSendRecordErrorCodes).size).toBe(81);
    expect(sobotSendRecordErrorCodes).toHaveLength(81);
    expect(missingCodes('sobot', sobotSendRecordErrorCodes), 'send-record error_codes missing').toEqual([]);
  });

  it('ret_code and the send-record error_code are different tables (999999 means different things)', () => {
    const retCode = bestTable(api('sobot'), sobotRetCodes);
    const sendRecord = bestTable(api('sobot'), sobotSendRecordErrorCodes);
    expect(retCode, 'a table of ret_codes').toBeDefined();
    expect(sendRecord?.name, 'the send-record error_code table').not.toBe(retCode?.name);
  });
});

// ------------------------------------------------------------------------------------------------
// Endpoints
// ------------------------------------------------------------------------------------------------

const endpoints: { api: ApiName; method: Operation['method']; path: string; seed: string }[] = [
  { api: 'graph', method: 'POST', path: '/{PAGE_ID}/messages', seed: '000/001 messages; 002 curl' },
  { api: 'graph', method: 'POST', path: '/{PAGE_ID}/message_attachments', seed: 'Attachment Upload API (Meta docs; not in the seeds)' },
  { api: 'sobot', method: 'GET', path: '/api/get_token', seed: '003 获取Token' },
  { api: 'sobot', method: 'POST', path: '/chat-facebook/api/messenger/send', seed: '003 发送消息' },
  { api: 'sobot', method: 'POST', path: '/chat-facebook/api/messenger/upload_async', seed: '003 上传附件' },
  { api: 'sobot', method: 'GET', path: '/chat-facebook/api/messenger/query_sub_users', seed: '003 查询订阅主题用户' },
  { api: 'sobot', method: 'POST', path: '/chat-facebook/api/messenger/create_or_update_title', seed: '003 创建或修改订阅主题' },
  { api: 'sobot', method: 'GET', path: '/chat-facebook/api/messenger/del_title', seed: '003 删除订阅主题' },
  { api: 'sobot', method: 'POST', path: '/chat-facebook/api/messenger/get_title_list', seed: '003 查询订阅主题' },
  { api: 'sobot', method: 'POST', path: '/chat-facebook/api/messenger/send_opt_in_message', seed: '003 发送optin消息' },
  { api: 'sobot', method: 'POST', path: '/chat-set/api/messenger/query_task_list', seed: '003 查询群发任务数据' },
  { api: 'sobot', method: 'POST', path: '/chat-set/api/messenger/send_record_list', seed: '003 查询发送记录' },
];

describe('endpoints of the seeds', () => {
  it.each(endpoints)('$api $method $path ($seed)', ({ api: apiName, method, path }) => {
    const paths = api(apiName).operations.map((op) => `${op.method} ${op.path}`);
    expect(paths, `${apiName} operations`).toContain(`${method} ${path}`);
  });
});

// ------------------------------------------------------------------------------------------------
// Field names
// ------------------------------------------------------------------------------------------------

interface Fields {
  api: ApiName;
  path: string;
  seed: string;
  request?: string[];
  response?: string[];
}

/** Field names of the seed tables (and of the response examples where a section has no table). */
const fields: Fields[] = [
  {
    api: 'graph',
    path: '/{PAGE_ID}/messages',
    seed: '000/001 parameters and return fields; 002 recipient.user_ref, recipient.phone_number',
    request: [
      'message', 'messaging_type', 'notification_type', 'payload', 'persona_id', 'recipient', 'reply_to',
      'sender_action', 'tag', 'thread_control', 'user_ref', 'phone_number',
    ],
    response: ['thread_key', 'recipient_id', 'message_id', 'attachment_id', 'gchat_space_name'],
  },
  {
    api: 'sobot',
    path: '/api/get_token',
    seed: '003 获取Token',
    request: ['appid', 'create_time', 'sign'],
    response: ['ret_code', 'ret_msg', 'item', 'token', 'expires_in'],
  },
  {
    api: 'sobot',
    path: '/chat-facebook/api/messenger/send',
    seed: '003 发送消息 (parameters, tag, 1.4.1-1.4.3 template tables)',
    request: [
      'messaging_type', 'recipientid', 'recipient_token', 'pageid', 'type', 'tag', 'payload',
      'template_type', 'text', 'buttons', 'elements', 'title', 'subtitle', 'image_url', 'default_action',
      'media_type', 'attachment_id', 'url',
    ],
  },
  {
    api: 'sobot',
    path: '/chat-facebook/api/messenger/upload_async',
    seed: '003 上传附件',
    request: ['pageid', 'type', 'payload', 'url'],
    response: ['item', 'ret_code', 'ret_msg'],
  },
  {
    api: 'sobot',
    path: '/chat-facebook/api/messenger/query_sub_users',
    seed: '003 查询订阅主题用户',
    request: ['appid', 'title', 'page_no', 'page_size'],
    response: [
      'ret_code', 'ret_msg', 'items', 'page_count', 'page_no', 'page_size', 'total_count',
      'companyid', 'create_time', 'facebookid', 'pageid', 'sub_status', 'sub_title', 'sub_token', 'timezone',
      'title_describe', 'update_time',
    ],
  },
  {
    api: 'sobot',
    path: '/chat-facebook/api/messenger/create_or_update_title',
    seed: '003 创建或修改订阅主题',
    request: ['appid', 'title', 'describe', 'image_ratio', 'button_type', 'image_url', 'timezone', 'configid'],
    response: ['item', 'ret_code', 'ret_msg'],
  },
  {
    api: 'sobot',
    path: '/chat-facebook/api/messenger/del_title',
    seed: '003 删除订阅主题',
    request: ['configid'],
    response: ['ret_code', 'ret_msg'],
  },
  {
    api: 'sobot',
    path: '/chat-facebook/api/messenger/get_title_list',
    seed: '003 查询订阅主题',
    request: ['start_time', 'end_time', 'appids', 'title', 'page_no', 'page_size'],
    response: [
      'item', 'page_count', 'page_no', 'page_size', 'ret_code', 'ret_msg', 'total_count',
      'companyid', 'create_time', 'timezone', 'button_type', 'image_url', 'title', 'app_name', 'update_time',
      'configid', 'image_ratio', 'describe', 'appid',
    ],
  },
  {
    api: 'sobot',
    path: '/chat-facebook/api/messenger/send_opt_in_message',
    seed: '003 发送optin消息 (recipient_id is the example\'s spelling of recipientid)',
    request: ['appid', 'title', 'recipientid', 'recipient_id', 'describe', 'image_url', 'image_ratio', 'button_type', 'timezone'],
    response: ['item', 'message_id', 'recipient_id', 'ret_code', 'ret_msg'],
  },
  {
    api: 'sobot',
    path: '/chat-set/api/messenger/query_task_list',
    seed: '003 查询群发任务数据',
    request: [
      'task_start_time', 'task_end_time', 'sender', 'task_name', 'message_topic_or_tag', 'message_type', 'page_no',
      'page_size',
    ],
    response: [
      'ret_code', 'ret_msg', 'items', 'page_count', 'page_no', 'page_size', 'total_count',
      'task_name', 'task_source', 'taskid', 'timezone', 'task_start_time', 'task_end_time', 'send_time_type',
      'estimate_send_num', 'send_success_num', 'send_error_num', 'already_send_num', 'already_read_num',
      'reply_data_num',
    ],
  },
  {
    api: 'sobot',
    path: '/chat-set/api/messenger/send_record_list',
    seed: '003 查询发送记录',
    request: [
      'send_start_time', 'send_end_time', 'messageid', 'message_status', 'taskid', 'task_name', 'send_agentid',
      'sender', 'recipient', 'message_topic_or_tag', 'page_no', 'page_size',
    ],
    response: [
      'ret_code', 'ret_msg', 'items', 'page_count', 'page_no', 'page_size', 'total_count',
      'task_name', 'error_code', 'timezone', 'messageid', 'taskid', 'recipient_id', 'send_agentid', 'send_time',
      'sender', 'status_update_time', 'message_topic_or_tag',
    ],
  },
];

/** 003 Webhook消息转发 and 消息发送状态通知: the fields of the forwarded webhook bodies, and the upload result. */
const sobotWebhookFields = [
  'object', 'entry', 'time', 'id', 'messaging', 'sender', 'recipient', 'timestamp', 'message', 'mid', 'text',
  'attachments', 'type', 'payload', 'url', 'delivery', 'mids', 'watermark', 'read', 'optin',
  'notification_messages_token', 'token_expiry_timestamp', 'user_token_status', 'notification_messages_timezone',
  'notification_messages_status', 'title', 'track_id', 'attachment_id',
];

describe('field names of the seeds', () => {
  const sides = fields.flatMap((f) =>
    (['request', 'response'] as const)
      .filter((side) => f[side] !== undefined)
      .map((side) => ({ ...f, side, names: f[side]! })),
  );
  it.each(sides)('$api $path $side ($seed)', ({ api: apiName, path, side, names }) => {
    const a = api(apiName);
    const op = operation(apiName, path);
    const declared = propertyNames(a, operationSchema(a, op, side));
    const missing = names.filter((n) => !declared.has(n));
    expect(missing, `fields missing from ${op[side].schema} (${side} of ${op.name})`).toEqual([]);
  });

  it('sobot webhook bodies (003 Webhook消息转发, 消息发送状态通知, 上传附件 webhook)', () => {
    const a = api('sobot');
    const declared = propertyNames(a, webhookSchemas(a));
    const missing = sobotWebhookFields.filter((n) => !declared.has(n));
    expect(missing, 'fields missing from the sobot webhook payload and event schemas').toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------
// Enum values
// ------------------------------------------------------------------------------------------------

interface Enum {
  api: ApiName;
  property: string;
  values: string[];
  seed: string;
  /** Where the property sits: an operation's request or response, the webhooks, or (absent) anywhere in the API. */
  in?: { path: string; side: 'request' | 'response' } | 'webhooks';
}

const graphSend = { path: '/{PAGE_ID}/messages', side: 'request' } as const;
const sobotSend = { path: '/chat-facebook/api/messenger/send', side: 'request' } as const;

/** Values compared as text: whether 0 is a string or an integer is the type's business, not this count's. */
const enums: Enum[] = [
  { api: 'graph', property: 'messaging_type', values: ['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY'], seed: '000/001 messaging_type', in: graphSend },
  { api: 'graph', property: 'notification_type', values: ['REGULAR', 'SILENT_PUSH', 'NO_PUSH'], seed: '000/001 notification_type', in: graphSend },
  { api: 'graph', property: 'sender_action', values: ['MARK_SEEN', 'TYPING_ON', 'TYPING_OFF', 'REACT', 'UNREACT'], seed: '000/001 sender_action', in: graphSend },
  { api: 'sobot', property: 'messaging_type', values: ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'], seed: '003 发送消息 messaging_type', in: sobotSend },
  { api: 'sobot', property: 'tag', values: ['ACCOUNT_UPDATE', 'CONFIRMED_EVENT_UPDATE', 'HUMAN_AGENT', 'POST_PURCHASE_UPDATE'], seed: '003 发送消息 tag参数', in: sobotSend },
  { api: 'sobot', property: 'type', values: ['text', 'image', 'audio', 'video', 'file', 'template'], seed: '003 发送消息 type', in: sobotSend },
  { api: 'sobot', property: 'template_type', values: ['button', 'generic', 'media'], seed: '003 发送消息 1.4.1-1.4.3 template_type', in: sobotSend },
  { api: 'sobot', property: 'media_type', values: ['image', 'video'], seed: '003 发送消息 1.4.3 media_type', in: sobotSend },
  { api: 'sobot', property: 'type', values: ['image', 'audio', 'video', 'file'], seed: '003 上传附件 type', in: { path: '/chat-facebook/api/messenger/upload_async', side: 'request' } },
  { api: 'sobot', property: 'image_ratio', values: ['SQUARE', 'HORIZONTAL'], seed: '003 image_ratio参数', in: { path: '/chat-facebook/api/messenger/create_or_update_title', side: 'request' } },
  { api: 'sobot', property: 'button_type', values: ['ALLOW', 'GET', 'GET_UPDATES', 'OPT_IN', 'SIGN_UP'], seed: '003 button_type参数', in: { path: '/chat-facebook/api/messenger/create_or_update_title', side: 'request' } },
  { api: 'sobot', property: 'sub_status', values: ['1', '0'], seed: '003 查询订阅主题用户 sub_status', in: { path: '/chat-facebook/api/messenger/query_sub_users', side: 'response' } },
  { api: 'sobot', property: 'message_type', values: ['1', '2'], seed: '003 查询群发任务数据 message_type', in: { path: '/chat-set/api/messenger/query_task_list', side: 'request' } },
  { api: 'sobot', property: 'task_source', values: ['1'], seed: '003 查询群发任务数据 task_source', in: { path: '/chat-set/api/messenger/query_task_list', side: 'response' } },
  { api: 'sobot', property: 'send_time_type', values: ['1', '2'], seed: '003 查询群发任务数据 send_time_type', in: { path: '/chat-set/api/messenger/query_task_list', side: 'response' } },
  { api: 'sobot', property: 'message_status', values: ['0', '1', '2', '9'], seed: '003 message_status', in: { path: '/chat-set/api/messenger/send_record_list', side: 'request' } },
  { api: 'sobot', property: 'notification_messages_status', values: ['STOP_NOTIFICATIONS', 'RESUME_NOTIFICATIONS'], seed: '003 消息发送状态通知 4./5.', in: 'webhooks' },
];

/** 003 message_tag类型: the codes message_topic_or_tag takes; some enum of the Sobot API must list them. */
const sobotMessageTagCodes = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'];

describe('enum values of the seeds', () => {
  it.each(enums)('$api $property: $values ($seed)', ({ api: apiName, property, values, in: where }) => {
    const a = api(apiName);
    let roots: SchemaNode[];
    let place: string;
    if (where === 'webhooks') {
      roots = webhookSchemas(a);
      place = `${apiName} webhook schemas`;
    } else if (where) {
      const op = operation(apiName, where.path);
      roots = operationSchema(a, op, where.side);
      place = `${op[where.side].schema} (${where.side} of ${op.name})`;
    } else {
      roots = allSchemas(a);
      place = `${apiName} schemas`;
    }
    const allowed = valuesByProperty(a, roots).get(property);
    expect(allowed, `no property '${property}' in ${place}`).toBeDefined();
    const missing = values.filter((v) => !allowed!.has(v));
    expect(missing, `values missing from '${property}' in ${place}`).toEqual([]);
  });

  it('003 message_tag类型 codes are an enum somewhere in the Sobot API', () => {
    const a = api('sobot');
    const everywhere = new Set<string>();
    walk(a, allSchemas(a), (node) => allowedValues(a, node).forEach((v) => everywhere.add(v)));
    expect(sobotMessageTagCodes.filter((v) => !everywhere.has(v)), 'message_tag codes missing').toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------
// Examples
// ------------------------------------------------------------------------------------------------

/**
 * Every JSON example of the seeds, copied verbatim (the bodies of `curl -d '...'` included). Some
 * example of the spec must hold the same data.
 */
const jsonExamples: { seed: string; json: string }[] = [
  {
    seed: '003 获取Token: response',
    json: `{
"item": {
"token": "4ac37cb2e9c740dba4b75a34d5358802",
"expires_in": "86400"
},
"ret_code": "000000",
"ret_msg": "操作成功"
}`,
  },
  {
    seed: '003 发送消息 1.1 text',
    json: `{
"messaging_type":"RESPONSE",
"recipientid":"RECIPIENTID",
"pageid":"PAGEID",
"type":"text",
"payload":"What do you want to do next?"
}`,
  },
  {
    seed: '003 发送消息 1.2 image/audio/video/file',
    json: `{
"messaging_type":"RESPONSE",
"recipientid":"RECIPIENTID",
"pageid":"PAGEID",
"type":"image",
"payload": {
"url":"https://sg.sobot.com/console/common/face/admin.png"
}
}`,
  },
  {
    seed: '003 发送消息 1.3 MESSAGE_TAG',
    json: `{
"messaging_type":"MESSAGE_TAG",
"recipientid":"RECIPIENTID",
"pageid":"PAGEID",
"type":"text",
"tag": "ACCOUNT_UPDATE",
"payload":"What do you want to do next?"
}`,
  },
  {
    seed: '003 发送消息 1.4.1 button template',
    json: `{
"messaging_type":"RESPONSE",
"recipientid":"RECIPIENTID",
"pageid":"PAGEID",
"type":"template",
"payload": {
"template_type":"button",
"text":"What do you want to do next?",
"buttons":[
{
"type":"web_url",
"url":"https://www.messenger.com",
"title":"Visit Messenger"
}]
}
}`,
  },
  {
    seed: '003 发送消息 1.4.2 generic template',
    json: `{
"messaging_type":"RESPONSE",
"recipientid":"RECIPIENTID",
"pageid":"PAGEID",
"type":"template",
"payload": {
"template_type":"generic",
"elements":[
{
"title":"Welcome!",
"image_url":"https://petersfancybrownhats.com/company_image.png",
"subtitle":"We have the right hat for everyone.",
"default_action": {
"type": "web_url",
"url": "https://petersfancybrownhats.com/view?item=103",
"messenger_extensions": false,
"webview_height_ratio": "tall",
"fallback_url": "https://petersfancybrownhats.com/"
},
"buttons":[
{
"type":"web_url",
"url":"https://petersfancybrownhats.com",
"title":"View Website"
},{
"type":"postback",
"title":"Start Chatting",
"payload":"DEVELOPER_DEFINED_PAYLOAD"
}
]
}
]
}
}`,
  },
  {
    seed: '003 发送消息 1.4.3 media template (attachment_id)',
    json: `{
"messaging_type":"RESPONSE",
"recipientid":"RECIPIENTID",
"pageid":"PAGEID",
"type":"template",
"payload": {
"template_type":"media",
"elements":[
{
"media_type":"image|video",
"attachment_id":"ATTACHMENT_ID"
}]
}
}`,
  },
  {
    seed: '003 发送消息 1.4.3 media template (Facebook URL)',
    json: `{
"messaging_type":"RESPONSE",
"recipientid":"RECIPIENTID",
"pageid":"PAGEID",
"type":"template",
"payload": {
"template_type":"media",
"elements":[
{
"media_type":"image|video",
"url": "FACEBOOK_URL"
}]
}
}`,
  },
  {
    seed: '003 上传附件: request',
    json: `{
"pageid":"PAGEID",
"type":"image",
"payload":{
"url":"URL"
}
}`,
  },
  {
    seed: '003 上传附件: response',
    json: `{
"item": "d13415bb2b704e58aa373bb5e0e11914",
"ret_code": "000000",
"ret_msg": "成功"
}`,
  },
  {
    seed: '003 上传附件: webhook result',
    json: `{
"track_id": "d13415bb2b704e58aa373bb5e0e11914",
"attachment_id": "1234567890"
}`,
  },
  {
    seed: '003 查询订阅主题用户: response',
    json: `{
"items": [
{
"companyid": "5f5262b52feb463bbf4e732323sdgfset",
"create_time": 1715079942588,
"facebookid": "5611755588",
"pageid": "1087397686",
"sub_status": 1,
"sub_title": "nice day",
"sub_token": "6956578469XXXXXX",
"timezone": "UTC",
"title_describe": "132",
"update_time": 1715155761777
}
],
"page_count": 1,
"page_no": 1,
"page_size": 15,
"ret_code": "000000",
"ret_msg": "成功",
"total_count": 1
}`,
  },
  {
    seed: '003 Webhook 1. 文本',
    json: `{
"object": "page",
"entry": [{
"time": 1714120447751,
"id": "110661988000000",
"messaging": [{
"sender": {
"id": "524807506000000"
},
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714120446870,
"message": {
"mid": "m_hAxxtkOsBG8UEtO0RQNcwPgfxWKYaLWowT0Z7iLv",
"text": "11"
}
}]
}]
}`,
  },
  {
    seed: '003 Webhook 2. 视频',
    json: `{
"object": "page",
"entry": [{
"time": 1714120224310,
"id": "110661988000000",
"messaging": [{
"sender": {
"id": "5248075068000000"
},
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714120223681,
"message": {
"mid": "m_6RK4gK9eklpa6uPCNFvNEvgfxWKYaLWowT0Z7iLv8BXpnCPA8KDnJOQOD26NINRuF",
"attachments": [{
"type": "video",
"payload": {
"url": "URL"
}
}]
}
}]
}]
}`,
  },
  {
    seed: '003 Webhook 3. 图片',
    json: `{
"object": "page",
"entry": [{
"time": 1714120138060,
"id": "110661988000000",
"messaging": [{
"sender": {
"id": "524807506000000"
},
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714120137558,
"message": {
"mid": "m_378ZrH7cpKmUUlmqOi5jQPgfxWKYaLWowT0Z7iLv8BWDeU",
"attachments": [{
"type": "image",
"payload": {
"url": "URL"
}
}]
}
}]
}]
}`,
  },
  {
    seed: '003 Webhook 4. 文件',
    json: `{
"object": "page",
"entry": [{
"time": 1714120108440,
"id": "110661988000000",
"messaging": [{
"sender": {
"id": "5248075068000000"
},
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714120107805,
"message": {
"mid": "m_0xp5Sj8GPFoLroU33qbcjPgfxWKYaLWowT0Z7iLv8BWnRj",
"attachments": [{
"type": "file",
"payload": {
"url": "URL"
}
}]
}
}]
}]
}`,
  },
  {
    seed: '003 消息发送状态通知 1. 已送达',
    json: `{
"object": "page",
"entry": [{
"time": 1714120251647,
"id": "110661988000000",
"messaging": [{
"sender": {
"id": "5248075068000000"
},
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714120251542,
"delivery": {
"mids": ["m_UdMtmDiovEo-vSR_awTk2_gfxWKYaLWowT0Z7iLv8BVMtn2OGld3BIc2naK-pB2hE"],
"watermark": 1714120250796
}
}]
}]
}`,
  },
  {
    seed: '003 消息发送状态通知 2. 已阅读',
    json: `{
"object": "page",
"entry": [{
"time": 1714120249177,
"id": "110661988000000",
"messaging": [{
"sender": {
"id": "5248075068000000"
},
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714120248829,
"read": {
"watermark": 1714120247551
}
}]
}]
}`,
  },
  {
    seed: '003 消息发送状态通知 3. 订阅',
    json: `{
"object": "page",
"entry": [{
"id": "110661988000000",
"time": 1714119984959,
"messaging": [{
"sender": {
"id": "524807506000000"
},
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714119984091,
"optin": {
"type": "notification_messages",
"payload": "描述",
"notification_messages_token": "863341894114000000",
"token_expiry_timestamp": 2145916800000,
"user_token_status": "NOT_REFRESHED",
"notification_messages_timezone": "UTC",
"title": "订阅主题"
}
}]
}]
}`,
  },
  {
    seed: '003 消息发送状态通知 4. 取消订阅',
    json: `{
"object": "page",
"entry": [{
"id": "110661988000000",
"time": 1714120013874,
"messaging": [{
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714120013874,
"sender": {
"id": "524807506000000"
},
"optin": {
"type": "notification_messages",
"payload": "描述",
"notification_messages_token": "86334189411000000",
"token_expiry_timestamp": 2145916800000,
"user_token_status": "NOT_REFRESHED",
"notification_messages_status": "STOP_NOTIFICATIONS",
"title": "订阅主题"
}
}]
}]
}`,
  },
  {
    seed: '003 消息发送状态通知 5. 重新订阅',
    json: `{
"object": "page",
"entry": [{
"id": "110661988000000",
"time": 1714120082018,
"messaging": [{
"recipient": {
"id": "110661988000000"
},
"timestamp": 1714120082018,
"sender": {
"id": "524807506000000"
},
"optin": {
"type": "notification_messages",
"payload": "描述",
"notification_messages_token": "863341894114000000",
"token_expiry_timestamp": 2145916800000,
"user_token_status": "NOT_REFRESHED",
"notification_messages_status": "RESUME_NOTIFICATIONS",
"title": "订阅主题"
}
}]
}]
}`,
  },
  {
    seed: '003 创建或修改订阅主题: request',
    json: `{
"appid": "106474898833640",
"title": "测试",
"describe": "这是一条测试消息",
"image_url": "https://xxx.xx.com/xxx/image.png",
"image_ratio": "SQUARE",
"button_type": "ALLOW",
"timezone": "UTC"
}`,
  },
  {
    seed: '003 创建或修改订阅主题: response',
    json: `{
"item": "4ac37cb2e9c740dba4b75a34d5358802",
"ret_code": "000000",
"ret_msg": "成功"
}`,
  },
  {
    seed: '003 删除订阅主题: response',
    json: `{
"ret_code": "000000",
"ret_msg": "成功"
}`,
  },
  {
    seed: '003 查询订阅主题: request',
    json: `{
"start_time": 1317698342419,
"end_time": 1573693149125,
"appids": "11,22,33",
"title": "测试",
"page_no": 1,
"page_size": 15
}`,
  },
  {
    seed: '003 查询订阅主题: response',
    json: `{
"item": [
{
"companyid": "c72d7e67c0f64d38879747c9cfd68e85",
"create_time": 1713871710134,
"timezone": "UTC",
"button_type": "ALLOW",
"image_url": "https://xxx.xx.com/xxx/image.png",
"title": "测试",
"app_name": "爱你一万年",
"update_time": 1713871710134,
"configid": "10d7de1db4884c43b4b88e3fcbbf47d2",
"image_ratio": "SQUARE",
"describe": "这是一条测试消息",
"appid": "106474898833640"
}
],
"page_count": 1,
"page_no": 1,
"page_size": 15,
"ret_code": "000000",
"ret_msg": "成功",
"total_count": 1
}`,
  },
  {
    seed: '003 发送optin消息: request',
    json: `{
"appid": "106474898833640",
"title": "测试",
"recipient_id": "123456789"
}`,
  },
  {
    seed: '003 发送optin消息: response',
    json: `{
"item": {
"message_id": "m_PWpxCEkBhmD6guuH7FnlVtlnpgH1w6kCmPWZypSP-IHxHmHwJf02vcR2t3tE2HGTtzEm27GCqXLyIhG4WazTDw",
"recipient_id": "123456789"
},
"ret_code": "000000",
"ret_msg": "成功"
}`,
  },
  {
    seed: '003 查询群发任务数据: request',
    json: `{
"page_no": 1,
"page_size": 15,
"task_start_time": 1714295033250,
"task_end_time": 1714295033250,
"sender": "123456",
"task_name": "测试",
"message_topic_or_tag":"测试主题",
"message_type":1
}`,
  },
  {
    seed: '003 查询群发任务数据: response',
    json: `{
"items": [
{
"task_name": "123",
"estimate_send_num": 3,
"task_source": 1,
"timezone": "GMT+08:00",
"reply_data_num": 0,
"task_start_time": "2024-07-18 20:02:58",
"send_error_num": 2,
"task_end_time": "2024-07-18 20:03:10",
"send_success_num": 1,
"already_send_num": 1,
"send_time_type": 1,
"taskid": "91f9dba1879c4a5ebc778c03665a7a47",
"already_read_num": 0
},
{
"task_name": "excel88_copy热二次 ",
"estimate_send_num": 1,
"task_source": 1,
"timezone": "GMT+08:00",
"reply_data_num": 0,
"task_start_time": "2024-07-18 19:54:03",
"send_error_num": 11,
"task_end_time": "2024-07-18 19:54:10",
"send_success_num": 0,
"already_send_num": 0,
"send_time_type": 1,
"taskid": "5004117ee78c4328b6d5f29faaa17413",
"already_read_num": 0
}
],
"page_count": 12,
"page_no": 1,
"page_size": 2,
"ret_code": "000000",
"ret_msg": "操作成功",
"total_count": 24
}`,
  },
  {
    seed: '003 查询发送记录: request example (really a response body)',
    json: `{
"items": [
{
"task_name": "测试一下_copy_copy",
"send_time": 1717051932316,
"message_topic_or_tag": "订阅主题你好了吗",
"sender": "110661988252225",
"timezone": "GMT+08:00",
"messageid": "m_5ya2l01zq7cWZowdCAJ87-bKbz_gk7K-4b2fv6QOA4iY4_a_R44RmPh8Nz4I_oFnwls4matTIkLcD8DUFJLS9g",
"error_code": "000000",
"send_agentid": "3bdc079ab21d4db1847e36ae752e1048",
"taskid": "17fe5afc271d48769f2e4bb24cf6a4f4",
"recipient_id": "7608034689289950",
"status_update_time": 1717051932316
},
{
"task_name": "测试一下_copy_copy",
"send_time": 1717051930714,
"message_topic_or_tag": "订阅主题你好了吗",
"sender": "110661988252225",
"timezone": "GMT+08:00",
"error_code": "1893015",
"send_agentid": "3bdc079ab21d4db1847e36ae752e1048",
"taskid": "17fe5afc271d48769f2e4bb24cf6a4f4",
"recipient_id": "7336944743071365",
"status_update_time": 1717051930714
}
],
"page_count": 1,
"page_no": 1,
"page_size": 100,
"ret_code": "000000",
"ret_msg": "操作成功",
"total_count": 2
}`,
  },
  {
    seed: '003 查询发送记录: response',
    json: `{
"items": [
{
"task_name": "嗯文件啊啊啊",
"send_time": 1715839580345,
"message_topic_or_tag": "ACCOUNT_UPDATE",
"sender": "111756121635281",
"timezone": "GMT+08:00",
"messageid": "m_uR4fzPWk4y22dnJy95ts0FG1RsvrHC5RZ_wqwyIGTcMIwEx-Smscjvw5V3CqquPDLFgXk87RBNXsVEioobBf_g",
"error_code": "000000",
"send_agentid": "8532a283d2df41cc9a212bace7bf1d0b",
"taskid": "0fd27d6f98524995bfa03a5487a23ba7",
"recipient_id": "5194793377264405",
"status_update_time": 1716187640915
}
],
"page_count": 1,
"page_no": 1,
"page_size": 15,
"ret_code": "000000",
"ret_msg": "操作成功",
"total_count": 1
}`,
  },
  {
    seed: '002 Send API: success response',
    json: `{ "recipient_id": "PAGE-SCOPED-ID", "message_id": "AG5Hz2U..." }`,
  },
];

/** The non-JSON examples (curl commands): some example's `original` keeps each verbatim. */
const curlExamples: { seed: string; snippet: string }[] = [
  { seed: '003 获取Token: request', snippet: 'get_token?appid=1&create_time=1569397773&sign=258eec3118705112b2c53dc8043d4d34' },
  { seed: '003 查询订阅主题用户: request', snippet: 'query_sub_users?appid=22222222&title=test&page_no=1&page_size=100' },
  { seed: '003 删除订阅主题: request', snippet: 'del_title?configid=482716046a4242e7a5fa42e18d943ae0655810' },
  { seed: '002 Send API: curl', snippet: `-d "message={'text':'hello, world'}"` },
];

describe('examples of the seeds', () => {
  it('the list holds every JSON example of the seeds (32 in 003, 1 in 002)', () => {
    expect(jsonExamples).toHaveLength(33);
    expect(new Set(jsonExamples.map((e) => e.seed)).size).toBe(33);
  });

  it.each(jsonExamples)('$seed', ({ seed, json }) => {
    const wanted: unknown = JSON.parse(json);
    const found = allExamples().filter((example) => isDeepStrictEqual(example.value, wanted));
    expect(found.map((e) => e.name), `no example of the spec holds the data of ${seed}`).not.toEqual([]);
  });

  it.each(curlExamples)('$seed (kept as original)', ({ seed, snippet }) => {
    const found = allExamples().filter((example) => example.original?.includes(snippet));
    expect(found.map((e) => e.name), `no example's original holds ${seed}: ${snippet}`).not.toEqual([]);
  });
});
