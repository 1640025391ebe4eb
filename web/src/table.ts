// A sortable, paged HTML table with CSV download. Rows are sorted and paged
// in the browser, or, when a remote pager is given (the MCP App view), by
// asking the server for each page.
import { h, clear, format, plural } from "./dom";

export interface TableData {
  columns: string[];
  types?: string[];
  rows: unknown[][];
  truncated?: boolean;
}

export interface Sort { column: string; descending: boolean }

export interface RemotePager {
  // page returns rows [offset, offset+limit) in the given order, and the
  // number of rows in all.
  page(offset: number, limit: number, sort?: Sort): Promise<{ rows: unknown[][]; total: number }>;
}

export interface TableOptions {
  pageSize?: number;
  filename?: string;
  remote?: RemotePager;
  // download saves a CSV (default: a link to a Blob).
  download?: (csv: string, filename: string) => void;
}

const numericType = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/i;

export function dataTable(data: TableData, opts: TableOptions = {}): HTMLElement {
  const pageSize = opts.pageSize ?? 25;
  const numeric = data.columns.map((_, c) =>
    data.types?.[c] ? numericType.test(data.types[c]) : data.rows.every((r) => r[c] === null || typeof r[c] === "number"));
  let sort: Sort | undefined;
  let page = 0;
  let total = data.rows.length;
  let shown: unknown[][] = data.rows;
  let order: unknown[][] = data.rows;
  let busy = false;
  let seq = 0; // the latest request; answers to earlier ones are dropped

  const root = h("div", { class: "datatable" });
  const thead = h("thead");
  const tbody = h("tbody");
  const info = h("span", { class: "info" });
  const prev = h("button", { type: "button", class: "secondary prev", "aria-label": "previous page" }, "‹ Prev");
  const next = h("button", { type: "button", class: "secondary next", "aria-label": "next page" }, "Next ›");
  const csv = h("button", { type: "button", class: "secondary csv" }, "Download CSV");
  const status = h("span", { class: "status" });
  root.append(h("div", { class: "scroll" }, h("table", {}, thead, tbody)),
    h("div", { class: "pager" }, prev, next, info, status, h("span", { class: "spacer" }), csv));

  const headRow = h("tr");
  data.columns.forEach((name, c) => {
    const th = h("th", { scope: "col", "aria-sort": "none" }, h("button", { type: "button", title: "sort by " + name }, name));
    th.querySelector("button")!.addEventListener("click", () => {
      sort = sort?.column === name && !sort.descending ? { column: name, descending: true }
        : sort?.column === name ? undefined : { column: name, descending: false };
      headRow.querySelectorAll("th").forEach((t) => t.setAttribute("aria-sort", "none"));
      if (sort) th.setAttribute("aria-sort", sort.descending ? "descending" : "ascending");
      page = 0;
      if (!opts.remote) order = sortRows(data.rows, c, sort, numeric[c]);
      void show();
    });
    headRow.appendChild(th);
  });
  thead.appendChild(headRow);

  async function show(): Promise<void> {
    const offset = page * pageSize;
    if (opts.remote && (page > 0 || sort)) {
      const mine = ++seq;
      busy = true;
      update();
      status.textContent = "loading…";
      status.classList.remove("error");
      try {
        const res = await opts.remote.page(offset, pageSize, sort);
        if (mine !== seq) return;
        shown = res.rows;
        total = res.total;
        status.textContent = "";
      } catch (e) {
        if (mine !== seq) return;
        status.textContent = "could not load rows: " + (e instanceof Error ? e.message : String(e));
        status.classList.add("error");
      }
      busy = false;
    } else {
      seq++;
      shown = order.slice(offset, offset + pageSize);
    }
    clear(tbody);
    for (const r of shown) {
      const tr = h("tr");
      r.forEach((v, c) => tr.appendChild(v === null || v === undefined
        ? h("td", { class: "null" }, "null")
        : h("td", { class: numeric[c] ? "num" : "", title: format(v) }, format(v))));
      tbody.appendChild(tr);
    }
    update();
  }

  function update(): void {
    const offset = page * pageSize;
    const last = Math.min(offset + shown.length, total);
    info.textContent = total === 0 ? "no rows" : `rows ${(offset + 1).toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${plural(total, "row")}${data.truncated && !opts.remote ? " (truncated)" : ""}`;
    prev.disabled = busy || page === 0;
    next.disabled = busy || offset + pageSize >= total;
    const single = total <= pageSize && !opts.remote;
    prev.hidden = next.hidden = single;
  }

  prev.addEventListener("click", () => { if (page > 0) { page--; void show(); } });
  next.addEventListener("click", () => { page++; void show(); });
  csv.addEventListener("click", () => {
    const text = toCSV(data.columns, opts.remote ? data.rows : order);
    const name = (opts.filename ?? "result") + ".csv";
    if (opts.download) opts.download(text, name);
    else saveBlob(text, name);
  });
  if (opts.remote && data.truncated) total = data.rows.length + 1; // a next page exists
  void show();
  return root;
}

function sortRows(rows: unknown[][], c: number, sort: Sort | undefined, numeric: boolean): unknown[][] {
  if (!sort) return rows;
  const dir = sort.descending ? -1 : 1;
  return rows.slice().sort((a, b) => {
    const x = a[c], y = b[c];
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    if (numeric) return (Number(x) - Number(y)) * dir;
    return String(x).localeCompare(String(y), undefined, { numeric: true }) * dir;
  });
}

export function toCSV(columns: string[], rows: unknown[][]): string {
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return [columns, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

function saveBlob(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const a = h("a", { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
