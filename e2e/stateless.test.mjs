// End-to-end tests of datachat with clients of protocol 2026-07-28 (the
// stateless core: no initialize, no session) made with the official
// TypeScript SDK's client package (@modelcontextprotocol/client), pinned to
// that revision. They check that two such clients never see each other's
// data, that state travels in workspace handles, that results satisfy the
// tools' output schemas (the SDK validates them), that the host's model is
// asked through input_required results, and they report the size of
// tools/list in tokens.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { countTokens } from '@anthropic-ai/tokenizer';

import { DATA_DIR, startServe, stopServe } from './serve.mjs';

const TITANIC = join(DATA_DIR, 'titanic.csv');
const MODERN = '2026-07-28';

const textOf = (res) => (res.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');

describe('protocol 2026-07-28 clients (@modelcontextprotocol/client)', { timeout: 120_000 }, () => {
  let server;
  let cacheDir;
  let dataDir;
  const clients = [];

  async function connect(name, opts = {}) {
    const client = new Client({ name, version: '1.0.0' }, {
      versionNegotiation: { mode: { pin: MODERN } },
      capabilities: opts.capabilities ?? {},
    });
    if (opts.sample) client.setRequestHandler('sampling/createMessage', opts.sample);
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`)));
    // Listing the tools makes the SDK check every result against its
    // tool's outputSchema.
    await client.listTools();
    clients.push(client);
    return client;
  }

  const call = (client, name, args) => client.callTool({ name, arguments: args });
  const names = (res) => res.structuredContent.datasets.map((d) => d.name);

  before(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'datachat-e2e-'));
    dataDir = mkdtempSync(join(tmpdir(), 'datachat-e2e-data-'));
    server = await startServe(['--allow-dir', DATA_DIR, '--cache-dir', cacheDir, '--data-dir', dataDir, '--log-level', 'warn']);
  });

  it('speaks 2026-07-28 without a session', async () => {
    const c = await connect('probe');
    assert.equal(c.getNegotiatedProtocolVersion(), MODERN);
    assert.equal(c.getServerVersion()?.name, 'datachat');
  });

  it('keeps two clients apart: state is the workspace handle', async () => {
    const a = await connect('client-a');
    const b = await connect('client-b');

    const loadA = await call(a, 'load_file', { source: TITANIC });
    assert.notEqual(loadA.isError, true, textOf(loadA));
    const wa = loadA.structuredContent.workspace;
    assert.match(wa, /^ws_[a-z2-7]{26}$/, 'a handle of 128 random bits');
    assert.ok(textOf(loadA).includes(wa), 'the text names the handle');

    // b without a handle: an empty workspace, nothing of a's.
    const listB = await call(b, 'list_datasets', {});
    assert.deepEqual(names(listB), []);
    for (const sql of ['SELECT count(*) FROM titanic', "SELECT table_name FROM duckdb_tables() WHERE table_name = 'titanic'"]) {
      const res = await call(b, 'query', { sql });
      assert.ok(res.isError || res.structuredContent.row_count === 0, `b cannot see a's table: ${textOf(res)}`);
      assert.ok(!textOf(res).includes(TITANIC), 'nor where it came from');
    }

    // b's own load gets a workspace of its own.
    const loadB = await call(b, 'load_file', { source: TITANIC, name: 'mine' });
    const wb = loadB.structuredContent.workspace;
    assert.notEqual(wb, wa);
    assert.deepEqual(names(await call(a, 'list_datasets', { workspace: wa })), ['titanic']);
    assert.deepEqual(names(await call(b, 'list_datasets', { workspace: wb })), ['mine']);
    const q = await call(a, 'query', { workspace: wa, sql: 'SELECT count(*) FILTER (WHERE "Survived" = 1) AS n FROM titanic' });
    assert.equal(Number(q.structuredContent.rows[0][0]), 342);

    // Without its handle even a sees nothing; an unknown handle is named.
    assert.deepEqual(names(await call(a, 'list_datasets', {})), []);
    const unknown = 'ws_aaaaaaaaaaaaaaaaaaaaaaaaaa';
    const bad = await call(b, 'describe', { workspace: unknown, dataset: 'titanic' });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), new RegExp(`unknown workspace "${unknown}"`));

    // Resources: nobody is listed another's; a handle reads its own.
    for (const c of [a, b]) {
      const { resources } = await c.listResources();
      assert.ok(!resources.some((r) => r.uri.includes(wa) || r.uri.includes(wb)));
    }
    const list = await a.readResource({ uri: `datachat://w/${wa}/datasets` });
    assert.deepEqual(JSON.parse(list.contents[0].text).datasets.map((d) => d.name), ['titanic']);
    await assert.rejects(a.readResource({ uri: `datachat://w/${unknown}/datasets` }));
  });

  it('hands out the whole of a large result as links', async () => {
    const c = await connect('links');
    const ws = (await call(c, 'load_file', { source: TITANIC })).structuredContent.workspace;
    const res = await call(c, 'query', { workspace: ws, sql: 'SELECT "Name" FROM titanic', max_rows: 10 });
    assert.equal(res.structuredContent.truncated, true);
    const links = res.content.filter((x) => x.type === 'resource_link');
    assert.deepEqual(links.map((l) => l.mimeType), ['text/csv', 'application/vnd.apache.parquet']);
    const csv = await c.readResource({ uri: links[0].uri });
    assert.equal(csv.contents[0].text.trim().split('\n').length, 892, 'header and all 891 rows');
    const url = res.structuredContent.whole_result[0].url;
    const dl = await fetch(url);
    assert.equal(dl.status, 200);
    assert.equal((await dl.text()).trim().split('\n').length, 892);
  });

  it('asks the host model through input_required results', async () => {
    const asked = [];
    const c = await connect('host', {
      capabilities: { sampling: {} },
      sample: async (req) => {
        asked.push(req.params.messages.at(-1));
        const text = asked.length === 1
          ? '{"sql": "SELECT count(*) AS n FROM \\"titanic\\" WHERE \\"Pclass\\" = 1", "charts": [], "note": ""}'
          : '**216** passengers travelled first class.';
        return { model: 'e2e-model', role: 'assistant', content: { type: 'text', text } };
      },
    });
    const res = await call(c, 'chat', {
      messages: [{ role: 'user', content: 'How many passengers travelled first class?' }],
      files: [TITANIC],
    });
    assert.notEqual(res.isError, true, textOf(res));
    assert.match(textOf(res), /^\*\*216\*\* passengers travelled first class\./);
    assert.match(textOf(res), /\(e2e-model\) via MCP sampling/);
    assert.equal(asked.length, 2, 'the plan and the phrasing, each asked once');
    assert.equal(Number(res.structuredContent.value), 216);
  });

  it('reports the size of tools/list', async () => {
    const c = await connect('sizes');
    const { tools } = await c.listTools();
    const json = JSON.stringify(tools);
    // The view's own tools (visibility ["app"]) are hidden from the model.
    const forModel = JSON.stringify(tools.filter((t) => !(t._meta?.ui?.visibility ?? ['model']).every((v) => v === 'app')));
    const all = countTokens(json);
    const model = countTokens(forModel);
    console.log(`tools/list: ${tools.length} tools, ${json.length} bytes, ${all} tokens (Claude tokenizer); ${model} tokens in the tools a model sees`);
    assert.ok(all < 1600, `tools/list is ${all} tokens`);
  });

  it('survives a restart on the same --data-dir', async () => {
    const c = await connect('before-restart');
    const ws = (await call(c, 'load_file', { source: TITANIC, name: 'kept' })).structuredContent.workspace;
    const exit = await stopServe(server);
    assert.equal(exit?.code, 0, `serve exit; stderr: ${server.stderr()}`);
    server = await startServe(['--allow-dir', DATA_DIR, '--cache-dir', cacheDir, '--data-dir', dataDir, '--log-level', 'warn']);
    const d = await connect('after-restart');
    const res = await call(d, 'query', { workspace: ws, sql: 'SELECT count(*) AS n FROM kept' });
    assert.notEqual(res.isError, true, textOf(res));
    assert.equal(Number(res.structuredContent.rows[0][0]), 891);
  });

  after(async () => {
    for (const c of clients) await c.close().catch(() => {});
    if (server) await stopServe(server);
    for (const d of [cacheDir, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });
});
