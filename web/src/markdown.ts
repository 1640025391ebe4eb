// A small, safe markdown renderer for answers: paragraphs, headings, lists,
// fenced code, pipe tables, emphasis, inline code, links and images. Text is
// only ever inserted as text nodes; links and images must be http(s) or
// relative.
import { h, append } from "./dom";

export interface RenderOptions {
  // skipCode drops fenced blocks in these languages (shown elsewhere).
  skipCode?: string[];
  // skipTables drops pipe tables (shown elsewhere).
  skipTables?: boolean;
  // skipImages drops images (charts drawn elsewhere).
  skipImages?: boolean;
}

export function renderMarkdown(src: string, opts: RenderOptions = {}): DocumentFragment {
  const out = document.createDocumentFragment();
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = /^\s*```\s*([\w-]*)\s*$/.exec(line);
    if (fence) {
      const lang = fence[1].toLowerCase();
      const body: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) body.push(lines[i++]);
      i++;
      if (opts.skipCode?.includes(lang)) continue;
      out.appendChild(h("pre", {}, h("code", lang ? { class: "language-" + lang } : {}, body.join("\n"))));
      continue;
    }
    if (/^\s*$/.test(line)) { i++; continue; }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(heading[1].length + 2, 6);
      out.appendChild(inline(document.createElement(("h" + level) as "h3"), heading[2], opts));
      i++;
      continue;
    }
    if (isTableStart(lines, i)) {
      const rows: string[][] = [];
      const head = cells(lines[i]);
      i += 2;
      while (i < lines.length && /^\s*\|/.test(lines[i])) rows.push(cells(lines[i++]));
      if (opts.skipTables) continue;
      const table = h("table", {}, h("thead", {}, h("tr", {}, ...head.map((c) => inline(h("th"), c, opts)))));
      const tbody = h("tbody");
      for (const r of rows) tbody.appendChild(h("tr", {}, ...r.map((c) => inline(h("td"), c, opts))));
      table.appendChild(tbody);
      out.appendChild(h("div", { class: "datatable" }, h("div", { class: "scroll" }, table)));
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+/.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1]);
      const list = ordered ? h("ol") : h("ul");
      while (i < lines.length) {
        const m = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[i]);
        if (!m || /\d/.test(m[1]) !== ordered) break;
        list.appendChild(inline(h("li"), m[2], opts));
        i++;
      }
      out.appendChild(list);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !/^\s*$/.test(lines[i]) && !/^\s*```/.test(lines[i]) && !isTableStart(lines, i) && !/^#{1,6}\s/.test(lines[i])) {
      para.push(lines[i++]);
    }
    const p = inline(h("p"), para.join("\n"), opts);
    if (p.childNodes.length > 0) out.appendChild(p);
  }
  return out;
}

function isTableStart(lines: string[], i: number): boolean {
  return /^\s*\|.*\|\s*$/.test(lines[i]) && i + 1 < lines.length && /^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1]);
}

function cells(line: string): string[] {
  const s = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && s[i + 1] === "|") { cur += "|"; i++; continue; }
    if (s[i] === "|") { out.push(cur.trim()); cur = ""; continue; }
    cur += s[i];
  }
  out.push(cur.trim());
  return out;
}

function safeURL(u: string): string | null {
  try {
    const url = new URL(u, location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const tokenRe = /(`[^`]+`)|(!\[[^\]]*\]\([^)\s]+\))|(\[[^\]]+\]\([^)\s]+\))|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\n)/g;

function inline<T extends HTMLElement>(el: T, text: string, opts: RenderOptions): T {
  let last = 0;
  for (const m of text.matchAll(tokenRe)) {
    const idx = m.index ?? 0;
    append(el, text.slice(last, idx));
    last = idx + m[0].length;
    const tok = m[0];
    if (m[1]) el.appendChild(h("code", {}, tok.slice(1, -1)));
    else if (m[2]) {
      if (opts.skipImages) continue;
      const mm = /^!\[([^\]]*)\]\(([^)\s]+)\)$/.exec(tok)!;
      const src = safeURL(mm[2]);
      if (src) el.appendChild(h("img", { src, alt: mm[1], loading: "lazy" }));
    } else if (m[3]) {
      const mm = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(tok)!;
      const href = safeURL(mm[2]);
      el.appendChild(href ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, mm[1]) : document.createTextNode(mm[1]));
    } else if (m[4]) el.appendChild(inline(h("strong"), tok.slice(2, -2), opts));
    else if (m[5]) el.appendChild(inline(h("em"), tok.slice(1, -1), opts));
    else if (m[6]) el.appendChild(h("br"));
  }
  append(el, text.slice(last));
  return el;
}
