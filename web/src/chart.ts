// Interactive charts: the Vega-Lite specs the server sends, drawn by
// vega-embed as SVG with tooltips and zoom on continuous scales. Vega's
// expressions run in its interpreter, so no eval is needed under a strict
// Content-Security-Policy (MCP hosts apply one).
import embed, { type Result } from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";
import { h } from "./dom";

export type Theme = "light" | "dark";

type Spec = Record<string, any>;

const live = new Set<{ el: HTMLElement; spec: Spec; result?: Result }>();

export function currentTheme(): Theme {
  const t = document.documentElement.dataset.theme;
  if (t === "light" || t === "dark") return t;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

// chartFigure returns a figure that draws spec; png, when given, is shown
// if drawing fails.
export function chartFigure(spec: Spec | undefined, caption: string, png?: string): HTMLElement {
  const holder = h("div", { class: "chart-area" });
  const fig = h("figure", { class: "chart" }, holder, caption ? h("figcaption", {}, caption) : null);
  if (!spec) {
    if (png) holder.appendChild(h("img", { class: "fallback", src: png, alt: caption || "chart" }));
    return fig;
  }
  const entry = { el: holder, spec };
  live.add(entry);
  void draw(entry, png, caption);
  return fig;
}

// redrawCharts draws every chart again, after a theme change.
export function redrawCharts(): void {
  for (const e of live) {
    if (!e.el.isConnected) { e.result?.finalize(); live.delete(e); continue; }
    void draw(e);
  }
}

async function draw(e: { el: HTMLElement; spec: Spec; result?: Result }, png?: string, caption?: string): Promise<void> {
  e.result?.finalize();
  const theme = currentTheme();
  try {
    e.result = await embed(e.el, interactive(e.spec, theme), {
      ast: true,
      expr: expressionInterpreter,
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      theme: theme === "dark" ? "dark" : undefined,
      tooltip: { theme: theme },
      downloadFileName: "chart",
    });
  } catch (err) {
    console.warn("datachat: chart could not be drawn", err);
    e.el.textContent = "";
    if (png) e.el.appendChild(h("img", { class: "fallback", src: png, alt: caption || "chart" }));
    else e.el.appendChild(h("p", { class: "error" }, "This chart could not be drawn."));
  }
}

// interactive adapts a server spec to the page: full width, the page's
// background, the theme's text colour, and zoom on continuous scales.
export function interactive(spec: Spec, theme: Theme): Spec {
  const s: Spec = structuredClone(spec);
  s.width = "container";
  s.autosize = { type: "fit-x", contains: "padding" };
  s.background = "transparent";
  if (theme === "dark") recolor(s);
  const enc = s.encoding ?? s.layer?.[0]?.encoding ?? {};
  const continuous = (c: any) => c && (c.type === "quantitative" || c.type === "temporal") && !c.bin;
  const zoom = continuous(enc.x)
    ? { name: "zoom", select: { type: "interval", encodings: continuous(enc.y) ? ["x", "y"] : ["x"] }, bind: "scales" }
    : continuous(enc.y) ? { name: "zoom", select: { type: "interval", encodings: ["y"] }, bind: "scales" } : null;
  if (zoom) {
    const target = Array.isArray(s.layer) ? s.layer[0] : s;
    target.params = [...(target.params ?? []), zoom];
  }
  return s;
}

function recolor(node: any): void {
  if (Array.isArray(node)) { node.forEach(recolor); return; }
  if (!node || typeof node !== "object") return;
  for (const [k, v] of Object.entries(node)) {
    if (k === "color" && v === "#222222") node[k] = "#e6e6e3";
    else if (typeof v === "object") recolor(v);
  }
}
