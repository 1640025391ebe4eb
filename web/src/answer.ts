// One answer drawn for people: the text, its SQL (collapsible), its result
// as a table and its charts. Used by the chat page and the MCP App view.
import { h } from "./dom";
import { renderMarkdown } from "./markdown";
import { dataTable, type RemotePager, type TableData } from "./table";
import { chartFigure } from "./chart";

export interface AnswerChart {
  title?: string;
  finding?: string;
  sql?: string;
  vega_lite?: Record<string, unknown>;
  png?: string;
  table?: TableData | null;
}

export interface Answer {
  text: string;
  sql?: string;
  table?: TableData | null;
  charts?: AnswerChart[];
}

export interface AnswerOptions {
  pager?: (sql: string) => RemotePager | undefined;
  download?: (csv: string, filename: string) => void;
}

export function sqlDetails(sql: string, open = false): HTMLElement {
  return h("details", { class: "sql", open }, h("summary", {}, "SQL"), h("pre", {}, h("code", { class: "language-sql" }, sql)));
}

export function renderAnswer(a: Answer, opts: AnswerOptions = {}): DocumentFragment {
  const out = document.createDocumentFragment();
  const hasTable = !!a.table && a.table.columns?.length > 0;
  const text = h("div", { class: "answer-text" });
  text.appendChild(renderMarkdown(a.text ?? "", { skipCode: a.sql ? ["sql"] : [], skipTables: hasTable, skipImages: true }));
  out.appendChild(text);
  if (a.sql) out.appendChild(sqlDetails(a.sql));
  if (hasTable) {
    out.appendChild(dataTable(a.table!, { filename: "answer", remote: a.sql ? opts.pager?.(a.sql) : undefined, download: opts.download }));
  }
  if (a.charts?.length) {
    const grid = h("div", { class: "charts" });
    const openData = !hasTable && a.charts.length === 1;
    for (const c of a.charts) {
      const fig = chartFigure(c.vega_lite, c.finding || c.title || "", c.png);
      if (c.sql && c.sql !== a.sql) fig.appendChild(sqlDetails(c.sql));
      if (c.table?.columns?.length) {
        const n = c.table.rows.length;
        fig.appendChild(h("details", { class: "chart-data", open: openData },
          h("summary", {}, `Table (${n.toLocaleString("en-US")}${c.table.truncated ? "+" : ""} ${n === 1 ? "row" : "rows"})`),
          dataTable(c.table, { filename: (c.title || "chart").replace(/[^\w-]+/g, "_"), download: opts.download })));
      }
      grid.appendChild(fig);
    }
    out.appendChild(grid);
  }
  return out;
}
