// End-to-end tests of the datachat binary driven by the official TypeScript
// MCP SDK (@modelcontextprotocol/sdk), over stdio and over streamable HTTP
// with a bearer token. Run with `npm test` (node --test); the binary comes
// from env DATACHAT_BIN (default ../datachat relative to this folder).
//
// Expected numbers are computed here from testdata/titanic.csv with a small
// CSV parser, and checked against the well-known Titanic figures, so the
// server's answers are compared with an independent reading of the file.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BIN, DATA_DIR, sleep, startServe as serve, waitExit } from './serve.mjs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  LATEST_PROTOCOL_VERSION,
  McpError,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';

const TITANIC = join(DATA_DIR, 'titanic.csv');
const SUITE_TIMEOUT = 120_000;

// ---------------------------------------------------------------------------
// Independent reading of the sample file.

/** Parses RFC 4180 CSV text into records (arrays of strings). */
function parseCSV(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

const titanicRecords = parseCSV(readFileSync(TITANIC, 'utf8'));
const header = titanicRecords[0];
const rows = titanicRecords.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
const expected = {
  rows: rows.length,
  columns: header,
  survivors: rows.filter((r) => r.Survived === '1').length,
  women: rows.filter((r) => r.Sex === 'female').length,
  men: rows.filter((r) => r.Sex === 'male').length,
  womenSurvived: rows.filter((r) => r.Sex === 'female' && r.Survived === '1').length,
  ageKnown: rows.filter((r) => r.Age !== '').length,
};

// ---------------------------------------------------------------------------
// Helpers.

/**
 * Wraps an SDK transport and records every JSON-RPC message in both
 * directions, so tests can check what went over the wire.
 */
class RecordingTransport {
  constructor(inner) {
    this.inner = inner;
    this.sent = [];
    this.received = [];
  }
  async start() {
    this.inner.onmessage = (msg, extra) => {
      this.received.push(msg);
      this.onmessage?.(msg, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (err) => this.onerror?.(err);
    await this.inner.start();
  }
  async send(msg, opts) {
    this.sent.push(msg);
    await this.inner.send(msg, opts);
  }
  async close() {
    await this.inner.close();
  }
  get sessionId() {
    return this.inner.sessionId;
  }
  setProtocolVersion(v) {
    this.inner.setProtocolVersion?.(v);
  }
  /** The protocolVersion of the server's initialize result, as sent. */
  negotiatedVersion() {
    const init = this.sent.find((m) => m.method === 'initialize');
    const res = this.received.find((m) => init && m.id === init.id && 'result' in m);
    return res?.result?.protocolVersion;
  }
}

/** Sends one raw JSON-RPC POST to /mcp and returns {status, headers, body}. */
async function rawPost(base, message, headers = {}) {
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(message),
  });
  const text = await res.text();
  let body;
  if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    // The response to a single request: take the data of the first event.
    const data = text.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
    body = data.length ? JSON.parse(data[0]) : undefined;
  } else {
    try { body = JSON.parse(text); } catch { body = text; }
  }
  return { status: res.status, headers: res.headers, body };
}

function initializeMessage(protocolVersion) {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'e2e-raw', version: '1.0.0' } },
  };
}

const textOf = (result) => result.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

/** Calls query and asserts it succeeded; returns structuredContent. */
async function query(client, sql, extra = {}) {
  const res = await client.callTool({ name: 'query', arguments: { sql, ...extra } });
  assert.notEqual(res.isError, true, `query failed: ${sql}: ${textOf(res)}`);
  assert.ok(res.structuredContent, 'query result has structuredContent');
  return res.structuredContent;
}

/** Runs a one-cell query and returns the value. */
async function scalar(client, sql) {
  const sc = await query(client, sql);
  assert.equal(sc.row_count, 1, `one row from ${sql}`);
  assert.equal(sc.rows.length, 1);
  assert.equal(sc.rows[0].length, 1);
  return sc.rows[0][0];
}

// ---------------------------------------------------------------------------
// Checks shared by both transports.

/**
 * Defines the tests every transport must pass. connect() returns
 * {client, transport: RecordingTransport}; it runs in before().
 */
function sharedTests(connect) {
  let client;
  let rec;
  let workspace; // the handle load_file returned
  const errors = [];
  const sdkErrors = () => errors.map((e) => e.message);

  before(async () => {
    ({ client, transport: rec } = await connect());
    client.onerror = (err) => errors.push(err);
  });

  it('initializes: server is datachat, protocol negotiated', () => {
    const info = client.getServerVersion();
    assert.equal(info?.name, 'datachat');
    assert.match(info?.version ?? '', /^\d+\.\d+\.\d+/);
    const v = rec.negotiatedVersion();
    assert.ok(SUPPORTED_PROTOCOL_VERSIONS.includes(v), `negotiated ${v} is one the SDK supports`);
    // The SDK offers its latest version; a server supporting it must accept it.
    assert.equal(v, LATEST_PROTOCOL_VERSION);
    const caps = client.getServerCapabilities();
    assert.ok(caps?.tools, 'tools capability');
    assert.ok(caps?.resources, 'resources capability');
    assert.ok(caps?.prompts, 'prompts capability');
  });

  it('lists the tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    assert.deepEqual(Object.keys(byName).sort(), ['chart', 'chat', 'describe', 'list_datasets', 'load_file', 'query', 'view_rows']);
    // MCP Apps: the tools whose results the view draws name it; the paging
    // tool is for the view only.
    for (const name of ['query', 'chart', 'describe', 'chat']) {
      assert.equal(byName[name]._meta?.ui?.resourceUri, 'ui://datachat/view', `${name} names the view`);
      assert.equal(byName[name]._meta?.['ui/resourceUri'], 'ui://datachat/view', `${name} names the view for older hosts`);
    }
    assert.deepEqual(byName.view_rows._meta?.ui?.visibility, ['app']);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', `${t.name} schema is an object`);
      assert.ok(t.description && t.description.length > 20, `${t.name} has a description`);
    }
    const props = (name) => byName[name].inputSchema.properties ?? {};
    const required = (name) => [...(byName[name].inputSchema.required ?? [])].sort();

    assert.deepEqual(required('load_file'), ['source']);
    assert.equal(props('load_file').source.type, 'string');
    assert.equal(props('load_file').name.type, 'string');
    assert.equal(props('load_file').format.type, 'string');

    assert.deepEqual(required('chat'), ['messages']);
    // Go slices are nullable in the generated schema: type is 'array' or ['null', 'array'].
    assert.ok([props('chat').messages.type].flat().includes('array'));

    assert.deepEqual(required('describe'), ['dataset']);
    assert.equal(props('describe').dataset.type, 'string');
    const colType = [].concat(props('describe').columns.type);
    assert.ok(colType.includes('array'), 'describe.columns is an array');

    assert.deepEqual(required('query'), ['sql']);
    assert.equal(props('query').sql.type, 'string');
    assert.equal(props('query').max_rows.type, 'integer');

    assert.deepEqual(required('list_datasets'), []);
    assert.deepEqual(Object.keys(props('list_datasets')), ['workspace']);
    for (const t of tools) assert.equal(props(t.name).workspace?.type, 'string', `${t.name} takes a workspace`);

    assert.equal(byName.query.annotations?.readOnlyHint, true, 'query is read-only');
    assert.notEqual(byName.load_file.annotations?.openWorldHint, false, 'load_file reaches the outside (the default)');
    for (const t of tools) {
      assert.ok(t.title, `${t.name} has a title`);
      assert.equal(t.outputSchema?.type, 'object', `${t.name} has an output schema`);
      assert.equal(t.inputSchema.additionalProperties, false, `${t.name} takes no other arguments`);
    }
    assert.deepEqual(props('chart').kind.enum, ['bar', 'grouped_bar', 'stacked_bar', 'histogram', 'line', 'scatter']);
  });

  it('loads titanic, with a progress token', async () => {
    const progress = [];
    const res = await client.callTool(
      { name: 'load_file', arguments: { source: TITANIC } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    );
    assert.notEqual(res.isError, true, textOf(res));
    const { tables } = res.structuredContent;
    workspace = res.structuredContent.workspace;
    assert.match(workspace, /^ws_[a-z2-7]{26}$/, 'load_file returns a workspace handle');
    assert.ok(textOf(res).includes(workspace), 'and names it in its text');
    assert.equal(tables.length, 1);
    assert.equal(tables[0].name, 'titanic');
    assert.equal(tables[0].rows, expected.rows);
    assert.deepEqual(tables[0].columns.map((c) => c.name), expected.columns);
    assert.ok(tables[0].preview, 'load_file returns a preview');
    assert.match(textOf(res), new RegExp(`${expected.rows} rows`));

    // The SDK put a progress token on the request; any progress that came
    // back must carry it and must increase.
    const call = rec.sent.find((m) => m.method === 'tools/call' && m.params?.name === 'load_file');
    const token = call?.params?._meta?.progressToken;
    assert.notEqual(token, undefined, 'request carried a progress token');
    const notes = rec.received.filter((m) => m.method === 'notifications/progress');
    // Not equal: see 'sends no progress after the response' below.
    assert.ok(notes.length >= progress.length, 'onprogress saw only notifications that were sent');
    for (const n of notes) assert.equal(n.params.progressToken, token);
    for (let i = 1; i < progress.length; i++) {
      assert.ok(progress[i].progress > progress[i - 1].progress, 'progress increases');
    }
    for (const p of progress) {
      if (p.total !== undefined) assert.ok(p.progress <= p.total, 'progress <= total');
    }
  });

  it('lists the loaded dataset', async () => {
    const res = await client.callTool({ name: 'list_datasets', arguments: {} });
    assert.notEqual(res.isError, true, textOf(res));
    const { datasets } = res.structuredContent;
    assert.deepEqual(datasets.map((d) => d.name), ['titanic']);
    assert.equal(datasets[0].rows, expected.rows);
    assert.equal(datasets[0].columns, expected.columns.length);
  });

  it('describes titanic', async () => {
    const all = await client.callTool({ name: 'describe', arguments: { dataset: 'titanic' } });
    assert.notEqual(all.isError, true, textOf(all));
    assert.equal(all.structuredContent.rows, expected.rows);
    const cols = Object.fromEntries(all.structuredContent.columns.map((c) => [c.name, c]));
    assert.deepEqual(Object.keys(cols).sort(), [...expected.columns].sort());
    assert.equal(cols.Age.non_null, expected.ageKnown, 'Age non-null count');

    const sex = await client.callTool({ name: 'describe', arguments: { dataset: 'titanic', columns: ['Sex'] } });
    assert.notEqual(sex.isError, true, textOf(sex));
    assert.deepEqual(sex.structuredContent.columns.map((c) => c.name), ['Sex']);
    const top = Object.fromEntries(sex.structuredContent.columns[0].top.map((t) => [t.value, t.count]));
    assert.deepEqual(top, { female: expected.women, male: expected.men });

    const missing = await client.callTool({ name: 'describe', arguments: { dataset: 'no_such_table' } });
    assert.equal(missing.isError, true, 'describe of an unknown table is an error result');
  });

  it('answers queries with exact values', async () => {
    // The figures every Titanic tutorial quotes, and our own reading of the file.
    assert.equal(expected.survivors, 342);
    assert.equal(expected.women, 314);
    assert.equal(await scalar(client, 'SELECT count(*) FROM titanic'), expected.rows);
    assert.equal(await scalar(client, 'SELECT count(*) FROM titanic WHERE "Survived" = 1'), expected.survivors);
    assert.equal(await scalar(client, `SELECT count(*) FROM titanic WHERE "Sex" = 'female'`), expected.women);

    const bySex = await query(client,
      'SELECT "Sex" AS sex, sum("Survived") AS survived, count(*) AS n FROM titanic GROUP BY 1 ORDER BY 1');
    assert.deepEqual(bySex.columns, ['sex', 'survived', 'n']);
    assert.equal(bySex.row_count, 2);
    assert.equal(bySex.truncated, false);
    assert.deepEqual(bySex.rows.map((r) => [r[0], Number(r[1]), Number(r[2])]), [
      ['female', expected.womenSurvived, expected.women],
      ['male', expected.survivors - expected.womenSurvived, expected.men],
    ]);
  });

  it('answers a plain-language question with the chat tool', async () => {
    const res = await client.callTool({
      name: 'chat',
      arguments: { messages: [{ role: 'user', content: 'How many passengers survived?' }] },
    });
    assert.notEqual(res.isError, true, textOf(res));
    assert.equal(Number(res.structuredContent.value), expected.survivors);
    assert.equal(res.structuredContent.confident, true);
    assert.match(res.structuredContent.sql, /SELECT/i);
    assert.match(textOf(res), /342/);
  });

  it('draws a chart as a PNG image with a Vega-Lite spec', async () => {
    const res = await client.callTool({
      name: 'chart',
      arguments: { sql: 'SELECT "Pclass", avg("Survived") * 100 AS survived_pct FROM titanic GROUP BY 1' },
    });
    assert.notEqual(res.isError, true, textOf(res));
    const img = res.content.find((c) => c.type === 'image');
    assert.equal(img.mimeType, 'image/png');
    const png = Buffer.from(img.data, 'base64');
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
    assert.match(res.structuredContent.vega_lite.$schema, /vega-lite/);
  });

  it('honours max_rows and says the result was truncated', async () => {
    const sc = await query(client, 'SELECT "PassengerId" FROM titanic ORDER BY 1', { max_rows: 5 });
    assert.deepEqual(sc.columns, ['PassengerId']);
    assert.equal(sc.rows.length, 5);
    assert.deepEqual(sc.rows.map((r) => Number(r[0])), [1, 2, 3, 4, 5]);
    assert.equal(sc.truncated, true);
  });

  it('lists and reads resources', async () => {
    const w = `datachat://w/${workspace}/datasets`;
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri).sort();
    assert.deepEqual(uris, [w, `${w}/titanic/description`, `${w}/titanic/preview`, `${w}/titanic/schema`, 'ui://datachat/view']);
    const view = await client.readResource({ uri: 'ui://datachat/view' });
    assert.equal(view.contents[0].mimeType, 'text/html;profile=mcp-app');
    assert.match(view.contents[0].text, /data-mode="view"/);
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), [
      'datachat://w/{workspace}/datasets',
      'datachat://w/{workspace}/datasets/{name}/description',
      'datachat://w/{workspace}/datasets/{name}/preview',
      'datachat://w/{workspace}/datasets/{name}/schema',
      'datachat://w/{workspace}/results/{file}',
    ]);

    const preview = await client.readResource({ uri: `${w}/titanic/preview` });
    assert.equal(preview.contents.length, 1);
    assert.equal(preview.contents[0].mimeType, 'text/csv');
    const records = parseCSV(preview.contents[0].text);
    assert.equal(records.length, 101, 'header + 100 rows');
    assert.deepEqual(records[0], expected.columns);
    // The rows are the file's first 100, in order.
    const idIdx = records[0].indexOf('PassengerId');
    const nameIdx = records[0].indexOf('Name');
    assert.deepEqual(records.slice(1).map((r) => [r[idIdx], r[nameIdx]]),
      rows.slice(0, 100).map((r) => [r.PassengerId, r.Name]));

    const list = await client.readResource({ uri: w });
    assert.equal(list.contents[0].mimeType, 'application/json');
    const parsed = JSON.parse(list.contents[0].text);
    assert.deepEqual(parsed.datasets.map((d) => d.name), ['titanic']);
    assert.equal(parsed.datasets[0].rows, expected.rows);

    const schema = await client.readResource({ uri: `${w}/titanic/schema` });
    const schemaJSON = JSON.parse(schema.contents[0].text);
    assert.match(JSON.stringify(schemaJSON), /"Survived"/);

    const desc = await client.readResource({ uri: `${w}/titanic/description` });
    assert.match(desc.contents[0].text, /Survived/);

    await assert.rejects(
      client.readResource({ uri: `${w}/no_such_table/preview` }),
      (err) => err instanceof McpError && /no_such_table/.test(err.message),
    );
  });

  it('gets the explore_dataset prompt', async () => {
    const { prompts } = await client.listPrompts();
    const p = prompts.find((x) => x.name === 'explore_dataset');
    assert.ok(p, 'explore_dataset is listed');
    assert.deepEqual(p.arguments.map((a) => [a.name, a.required ?? false]), [['dataset', true], ['workspace', false], ['column', false]]);

    const got = await client.getPrompt({ name: 'explore_dataset', arguments: { dataset: 'titanic' } });
    assert.ok(got.messages.length >= 1);
    assert.equal(got.messages[0].role, 'user');
    const text = got.messages.map((m) => m.content.text ?? '').join('\n');
    assert.match(text, /titanic/);
    assert.match(text, /describe/);

    await assert.rejects(client.getPrompt({ name: 'explore_dataset', arguments: {} }), McpError);
  });

  it('refuses SQL that writes, and the table survives', async () => {
    const res = await client.callTool({ name: 'query', arguments: { sql: 'DROP TABLE titanic' } });
    assert.equal(res.isError, true);
    assert.match(textOf(res), /read-only|not allowed|refus/i);
    assert.equal(await scalar(client, 'SELECT count(*) FROM titanic'), expected.rows);
  });

  it('refuses SQL that reads host files', async () => {
    const res = await client.callTool({
      name: 'query', arguments: { sql: "SELECT * FROM read_csv('/etc/passwd')" },
    });
    assert.equal(res.isError, true);
    assert.doesNotMatch(textOf(res), /root:/, 'no file content leaks into the error');
  });

  it('refuses a private-address URL', async () => {
    const res = await client.callTool({ name: 'load_file', arguments: { source: 'http://127.0.0.1:1/x.csv' } });
    assert.equal(res.isError, true);
    assert.match(textOf(res), /non-public|private|loopback|refused/i);
  });

  // mcp-go writes notifications from another goroutine than responses, so a
  // progress notification sent just before a result could reach the client
  // after it (the spec forbids that; the SDK reports "progress notification
  // for an unknown token"). datachat lets the last notification settle
  // before returning; this checks it over ten loads.
  it('sends no progress after the response', async () => {
    const late = [];
    for (let i = 0; i < 10; i++) {
      const from = rec.received.length;
      const res = await client.callTool(
        { name: 'load_file', arguments: { source: TITANIC, name: 'titanic' } },
        undefined,
        { onprogress: () => {} },
      );
      assert.notEqual(res.isError, true, textOf(res));
      await sleep(50); // let anything late arrive
      const call = rec.sent.filter((m) => m.method === 'tools/call').at(-1);
      const token = call.params._meta.progressToken;
      const got = rec.received.slice(from);
      const at = got.findIndex((m) => m.id === call.id && ('result' in m || 'error' in m));
      const after = got.slice(at + 1).filter(
        (m) => m.method === 'notifications/progress' && m.params.progressToken === token);
      if (after.length) late.push({ call: i, progress: after.map((m) => m.params.progress) });
    }
    assert.deepEqual(late, [], 'progress notifications after the response');
    assert.deepEqual(sdkErrors(), [], 'SDK reported no protocol errors');
  });

  it('names an unknown argument and explains a wrong type', async () => {
    const typo = await client.callTool({ name: 'load_file', arguments: { sorce: TITANIC } });
    assert.equal(typo.isError, true);
    assert.match(textOf(typo), /unknown argument "sorce" \(did you mean "source"\?\)/);
    const wrong = await client.callTool({ name: 'query', arguments: { sql: 'SELECT 1', max_rows: '5' } });
    assert.equal(wrong.isError, true);
    assert.match(textOf(wrong), /argument "max_rows" must be a whole number, not the string "5"/);
    assert.doesNotMatch(textOf(wrong), /json:|Go struct|unmarshal/);
  });

  it('refuses a local path outside --allow-dir', async () => {
    const res = await client.callTool({ name: 'load_file', arguments: { source: '/etc/passwd' } });
    assert.equal(res.isError, true);
    assert.doesNotMatch(textOf(res), /root:/);
    const { structuredContent } = await client.callTool({ name: 'list_datasets', arguments: {} });
    assert.deepEqual(structuredContent.datasets.map((d) => d.name), ['titanic']);
  });
}

// ---------------------------------------------------------------------------
// Suites.

it('has the binary and the sample data', () => {
  assert.ok(existsSync(BIN), `datachat binary not found at ${BIN}: build it (cd .. && go build -o datachat .) or set DATACHAT_BIN`);
  assert.ok(existsSync(TITANIC), `sample data missing: ${TITANIC}`);
});

describe('stdio', { timeout: SUITE_TIMEOUT }, () => {
  let client;
  let inner;
  let cacheDir;

  sharedTests(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'datachat-e2e-'));
    inner = new StdioClientTransport({
      command: BIN,
      args: ['stdio', '--allow-dir', DATA_DIR, '--cache-dir', cacheDir, '--log-level', 'warn'],
      cwd: cacheDir,
      stderr: 'pipe',
    });
    const transport = new RecordingTransport(inner);
    client = new Client({ name: 'datachat-e2e', version: '1.0.0' });
    await client.connect(transport);
    return { client, transport };
  });

  it('exits by itself when stdin closes', async () => {
    const pid = inner.pid;
    assert.ok(pid > 0);
    const t0 = Date.now();
    await client.close();
    const took = Date.now() - t0;
    // The SDK waits 2 s for the child to leave after closing stdin, then
    // sends SIGTERM; a server that exits on EOF is gone well before that.
    assert.ok(took < 1900, `server left ${took} ms after stdin closed (SDK had to signal it)`);
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'process is gone');
  });

  after(async () => {
    await client?.close();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });
});

describe('streamable HTTP with a bearer token', { timeout: SUITE_TIMEOUT }, () => {
  const TOKEN = `e2e-${process.pid}-${Date.now()}`;
  let server;
  let cacheDir;
  const clients = [];

  async function connectHTTP(name) {
    const inner = new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
    });
    const transport = new RecordingTransport(inner);
    const client = new Client({ name, version: '1.0.0' });
    await client.connect(transport);
    clients.push(client);
    return { client, transport, inner };
  }

  before(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'datachat-e2e-'));
    server = await serve(['--token', TOKEN, '--allow-dir', DATA_DIR, '--cache-dir', cacheDir, '--log-level', 'warn']);
  });

  sharedTests(async () => {
    const c = await connectHTTP('datachat-e2e');
    assert.ok(c.inner.sessionId, 'server issued a session id');
    assert.equal(c.inner.protocolVersion, c.transport.negotiatedVersion(),
      'transport sends the negotiated MCP-Protocol-Version');
    return c;
  });

  it('serves /healthz without a token', async () => {
    const res = await fetch(`${server.base}/healthz`);
    assert.equal(res.status, 200);
  });

  it('answers 401 without the token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
      const res = await rawPost(server.base, initializeMessage(LATEST_PROTOCOL_VERSION), headers);
      assert.equal(res.status, 401, `status with headers ${JSON.stringify(headers)}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(typeof res.body, 'object', '401 body is JSON');
      assert.ok(res.body.error, '401 body says what is wrong');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/i);
    }
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${server.base}/mcp`, { method, headers: { accept: 'text/event-stream' } });
      assert.equal(res.status, 401, `${method} /mcp without a token`);
      await res.body?.cancel();
    }
    // The SDK client without the header fails to connect with HTTP 401.
    const bare = new Client({ name: 'no-token', version: '1.0.0' });
    await assert.rejects(
      bare.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`))),
      (err) => err instanceof StreamableHTTPError && err.code === 401,
    );
  });

  it('negotiates an older protocol version the client asks for', async () => {
    const older = await rawPost(server.base, initializeMessage('2025-03-26'), {
      authorization: `Bearer ${TOKEN}`,
    });
    assert.equal(older.status, 200);
    assert.equal(older.body.result.protocolVersion, '2025-03-26');
    assert.equal(older.body.result.serverInfo.name, 'datachat');
    const sid = older.headers.get('mcp-session-id');
    assert.ok(sid, 'initialize response carries Mcp-Session-Id');
    const del = await fetch(`${server.base}/mcp`, {
      method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sid },
    });
    assert.ok(del.status < 300, `DELETE session: ${del.status}`);

    const unknown = await rawPost(server.base, initializeMessage('1999-01-01'), {
      authorization: `Bearer ${TOKEN}`,
    });
    assert.equal(unknown.status, 200);
    assert.ok(SUPPORTED_PROTOCOL_VERSIONS.includes(unknown.body.result.protocolVersion),
      'an unsupported request is answered with a version the server does support');
    const sid2 = unknown.headers.get('mcp-session-id');
    if (sid2) {
      await fetch(`${server.base}/mcp`, {
        method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sid2 },
      });
    }
  });

  it('keeps two clients\' tables apart', async () => {
    const a = await connectHTTP('client-a');
    const b = await connectHTTP('client-b');
    assert.notEqual(a.inner.sessionId, b.inner.sessionId);

    const loadA = await a.client.callTool({ name: 'load_file', arguments: { source: TITANIC, name: 'only_a' } });
    assert.notEqual(loadA.isError, true, textOf(loadA));
    const loadB = await b.client.callTool({ name: 'load_file', arguments: { source: TITANIC, name: 'only_b' } });
    assert.notEqual(loadB.isError, true, textOf(loadB));

    const names = async (c) => (await c.callTool({ name: 'list_datasets', arguments: {} }))
      .structuredContent.datasets.map((d) => d.name);
    assert.deepEqual(await names(a.client), ['only_a']);
    assert.deepEqual(await names(b.client), ['only_b']);

    assert.equal(await scalar(a.client, 'SELECT count(*) FROM only_a'), expected.rows);
    const cross = await a.client.callTool({ name: 'query', arguments: { sql: 'SELECT count(*) FROM only_b' } });
    assert.equal(cross.isError, true, 'A cannot query B\'s table');
    const cross2 = await b.client.callTool({ name: 'query', arguments: { sql: 'SELECT count(*) FROM only_a' } });
    assert.equal(cross2.isError, true, 'B cannot query A\'s table');

    const resB = (await b.client.listResources()).resources.map((r) => r.uri);
    assert.ok(!resB.some((u) => u.includes('only_a')), 'B\'s resources do not list A\'s table');
    const wb = loadB.structuredContent.workspace;
    assert.notEqual(loadA.structuredContent.workspace, wb, 'each session has a workspace of its own');
    await assert.rejects(b.client.readResource({ uri: `datachat://w/${wb}/datasets/only_a/preview` }), McpError);
  });

  it('ends a terminated session: its id is refused afterwards', async () => {
    const c = await connectHTTP('short-lived');
    const sid = c.inner.sessionId;
    await c.client.callTool({ name: 'load_file', arguments: { source: TITANIC, name: 'gone' } });
    await c.inner.terminateSession();
    const res = await rawPost(server.base, { jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} }, {
      authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sid, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION,
    });
    assert.equal(res.status, 404, 'a terminated session id gets 404');
  });

  after(async () => {
    for (const c of clients) await c.close().catch(() => {});
    if (server) {
      server.proc.kill('SIGTERM');
      const exit = await waitExit(server.proc, 15_000);
      if (!exit) server.proc.kill('SIGKILL');
      assert.ok(exit, 'datachat serve exits on SIGTERM');
      assert.equal(exit.code, 0, `serve exit code; stderr: ${server.stderr()}`);
    }
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });
});
