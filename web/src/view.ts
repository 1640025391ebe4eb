// The MCP App view (resource ui://datachat/view): drawn by MCP hosts next to
// the result of datachat's query, chart, describe and chat tools. It renders
// the tool result it is sent, pages tables through the app-only view_rows
// tool, follows the host's theme and reports its size (App's autoResize).
import { App, PostMessageTransport, applyDocumentTheme, applyHostStyleVariables, type McpUiHostContext } from "@modelcontextprotocol/ext-apps";
import { h, clear, format, plural } from "./dom";
import { renderAnswer, sqlDetails, type Answer } from "./answer";
import { chartFigure, redrawCharts } from "./chart";
import { dataTable, type RemotePager, type Sort, type TableData } from "./table";

export const pageTool = "view_rows";

export function startView(root: HTMLElement): void {
  const body = h("div", { class: "view", id: "view" }, h("p", { class: "status" }, "Waiting for a result…"));
  root.appendChild(body);
  const app = new App({ name: "datachat-view", version: "1" }, {}, { autoResize: true });
  let args: Record<string, unknown> = {};

  const applyContext = (ctx: McpUiHostContext | undefined) => {
    if (!ctx) return;
    if (ctx.theme) {
      applyDocumentTheme(ctx.theme);
      redrawCharts();
    }
    if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
  };
  app.ontoolinput = (p) => { args = (p.arguments ?? {}) as Record<string, unknown>; };
  app.ontoolresult = (result) => {
    clear(body);
    try {
      body.appendChild(renderResult(result as ToolResult, args, app));
    } catch (e) {
      body.appendChild(h("p", { class: "errorbox" }, "This result could not be shown: " + String(e)));
    }
  };
  app.ontoolcancelled = () => {
    clear(body);
    body.appendChild(h("p", { class: "status" }, "The tool call was cancelled."));
  };
  app.onhostcontextchanged = (ctx) => applyContext(ctx as McpUiHostContext);
  app.connect(new PostMessageTransport(window.parent, window.parent))
    .then(() => applyContext(app.getHostContext()))
    .catch((e) => {
      clear(body);
      body.appendChild(h("p", { class: "errorbox" }, "Could not connect to the host: " + String(e)));
    });
}

interface ToolResult {
  content?: { type: string; text?: string }[];
  structuredContent?: Record<string, any>;
  isError?: boolean;
}

function resultText(r: ToolResult): string {
  return (r.content ?? []).filter((c) => c.type === "text").map((c) => c.text ?? "").join("\n\n");
}

function renderResult(r: ToolResult, args: Record<string, unknown>, app: App): Node {
  const sc = r.structuredContent;
  if (r.isError || !sc) {
    return h("p", { class: r.isError ? "errorbox" : "status" }, resultText(r) || "No result.");
  }
  // The workspace the result came from: view_rows reads the same tables.
  const workspace = typeof sc.workspace === "string" ? sc.workspace : typeof args.workspace === "string" ? args.workspace : "";
  const pager = (sql: string) => remotePager(app, sql, workspace);
  const download = (csv: string, filename: string) => downloadCSV(app, csv, filename);
  if ("vega_lite" in sc) { // chart
    const frag = document.createDocumentFragment();
    frag.appendChild(chartFigure(sc.vega_lite, sc.spec?.title || resultText(r)));
    if (typeof args.sql === "string") frag.appendChild(sqlDetails(args.sql));
    return frag;
  }
  if ("answer" in sc) { // chat
    const a: Answer = { text: sc.answer, sql: sc.sql, table: sc.table, charts: sc.charts };
    return renderAnswer(a, { pager, download });
  }
  if ("dataset" in sc && Array.isArray(sc.columns)) return profile(sc as any); // describe
  if (Array.isArray(sc.columns) && Array.isArray(sc.rows)) { // query
    const sql = typeof args.sql === "string" ? args.sql : "";
    const frag = document.createDocumentFragment();
    if (sql) frag.appendChild(sqlDetails(sql));
    frag.appendChild(dataTable(sc as TableData, { filename: "query", remote: sql ? pager(sql) : undefined, download }));
    return frag;
  }
  return h("pre", {}, resultText(r));
}

function remotePager(app: App, sql: string, workspace: string): RemotePager {
  return {
    async page(offset: number, limit: number, sort?: Sort) {
      const res = await app.callServerTool({
        name: pageTool,
        arguments: {
          sql, offset, limit,
          ...(workspace ? { workspace } : {}),
          ...(sort ? { order_by: sort.column, descending: sort.descending } : {}),
        },
      });
      if (res.isError) throw new Error(resultText(res as ToolResult) || "the server refused the page");
      const sc = res.structuredContent as { rows: unknown[][]; total: number };
      return { rows: sc.rows, total: sc.total };
    },
  };
}

function downloadCSV(app: App, csv: string, filename: string): void {
  if (app.getHostCapabilities()?.downloadFile) {
    void app.downloadFile({ contents: [{ type: "resource", resource: { uri: "file:///" + filename, mimeType: "text/csv", text: csv } }] } as any);
    return;
  }
  const a = h("a", { href: "data:text/csv;charset=utf-8," + encodeURIComponent(csv), download: filename });
  document.body.appendChild(a);
  a.click();
  a.remove();
}

interface Stats {
  name: string; type: string; label?: string; non_null: number; null_pct: number; approx_distinct: number;
  min?: unknown; max?: unknown; mean?: unknown; median?: unknown; top?: { value: unknown; count: number }[];
}

function profile(d: { dataset: string; rows: number; label?: string; columns: Stats[] }): Node {
  const rows = d.columns.map((c) => [
    c.name + (c.label ? ` (${c.label})` : ""), c.type.toLowerCase(), c.non_null, Math.round(c.null_pct * 10) / 10,
    c.approx_distinct, c.min ?? null, c.max ?? null, c.mean ?? null, c.median ?? null,
    (c.top ?? []).map((t) => `${format(t.value)} (${t.count})`).join(", ") || null,
  ]);
  const table = dataTable({
    columns: ["column", "type", "non-null", "null %", "distinct", "min", "max", "mean", "median", "top values"],
    types: ["VARCHAR", "VARCHAR", "BIGINT", "DOUBLE", "BIGINT", "", "", "DOUBLE", "", "VARCHAR"],
    rows,
  }, { filename: d.dataset + "_profile", pageSize: 50 });
  table.classList.add("profile");
  return h("section", {}, h("h2", {}, d.dataset), h("p", { class: "hint" }, `${plural(d.rows, "row")} · ${plural(d.columns.length, "column")}${d.label ? " · " + d.label : ""}`), table);
}
