// The chat page served at / by `datachat serve`: load a file (pick, drop or
// URL) into a workspace, ask questions, watch the answer stream in, and see
// its SQL, table and interactive charts.
import { h, clear, plural } from "./dom";
import { renderMarkdown } from "./markdown";
import { renderAnswer, type Answer } from "./answer";
import { redrawCharts } from "./chart";
import { readSSE } from "./sse";

const tokenKey = "datachat-token";

interface Column { name: string; type: string; label?: string }
interface Table { name: string; source: string; format: string; rows: number; columns: Column[]; label?: string }
interface WorkspaceReply { workspace: string; loaded: string[]; tables: Table[] }
interface Message { role: "user" | "assistant"; content: string }

class HTTPError extends Error {
  constructor(public status: number, message: string) { super(message); }
}

export function startPage(root: HTMLElement): void {
  let workspace = "";
  const history: Message[] = [];
  let busy = false;

  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const fileInput = h("input", { type: "file", id: "file", name: "file" });
  const drop = h("div", { class: "drop", id: "drop" },
    h("label", { for: "file" }, h("strong", {}, "Drop a data file here"), " or pick one:"), fileInput,
    h("p", { class: "hint" }, "CSV, TSV, JSON, Parquet, Excel, HTML, XML, Stata, SAS, SPSS"));
  const urlInput = h("input", { type: "url", id: "url", name: "url", placeholder: "https://example.com/data.csv", "aria-label": "file URL" });
  const urlForm = h("form", { class: "urlform", id: "urlform" }, urlInput, h("button", { type: "submit" }, "Load"));
  const tables = h("div", { class: "tables", id: "tables" });
  const conversation = h("section", { class: "conversation", id: "conversation", "aria-live": "polite" });
  const question = h("textarea", { id: "question", name: "question", rows: 2, placeholder: "Ask a question about your data (Enter sends, Shift+Enter adds a line)", "aria-label": "question" });
  const send = h("button", { type: "submit", id: "send" }, "Ask");
  const askForm = h("form", { class: "ask", id: "ask" }, question, send);
  const login = loginForm(() => void checkToken());

  const shell = h("div", { class: "shell" },
    h("header", { class: "top" }, h("h1", {}, "datachat"), h("span", { class: "tagline" }, "ask your data; every answer shows its SQL")),
    h("section", { class: "panel loader" }, drop, h("div", {}, h("label", { for: "url" }, "…or load a file from a URL"), urlForm)),
    status, tables, conversation, askForm);
  root.appendChild(shell);

  function headers(extra: Record<string, string> = {}): Record<string, string> {
    const t = sessionStorage.getItem(tokenKey);
    return t ? { ...extra, Authorization: "Bearer " + t } : extra;
  }

  async function call(path: string, init: RequestInit): Promise<Response> {
    const resp = await fetch(path, { ...init, headers: headers(init.headers as Record<string, string>) });
    if (resp.status === 401) {
      showLogin(sessionStorage.getItem(tokenKey) ? "That token was not accepted; check it and try again." : "");
      throw new HTTPError(401, "this server needs its token: enter it above");
    }
    if (!resp.ok) {
      let msg = `${resp.status} ${resp.statusText}`;
      try { msg = (await resp.json()).error ?? msg; } catch { /* not JSON */ }
      throw new HTTPError(resp.status, msg);
    }
    return resp;
  }

  function showLogin(msg: string): void {
    login.querySelector(".error")!.textContent = msg;
    shell.hidden = true;
    if (!login.isConnected) root.prepend(login);
    (login.querySelector("input") as HTMLInputElement).focus();
  }

  async function checkToken(): Promise<void> {
    try {
      await call("api/v1/info", { method: "GET" });
      login.remove();
      shell.hidden = false;
    } catch (e) {
      if (!(e instanceof HTTPError && e.status === 401)) setStatus(errText(e), true);
    }
  }

  function setStatus(msg: string, error = false): void {
    status.textContent = msg;
    status.classList.toggle("error", error);
  }

  function showTables(reply: WorkspaceReply): void {
    workspace = reply.workspace;
    clear(tables);
    for (const t of reply.tables) {
      tables.appendChild(h("article", { class: "panel dataset", "data-table": t.name },
        h("h2", {}, t.name),
        h("div", { class: "meta" }, `${plural(t.rows, "row")} · ${plural(t.columns.length, "column")} · ${t.source}`),
        h("ul", { class: "cols" }, ...t.columns.map((c) => h("li", { title: c.label ?? "" }, c.name, " ", h("span", {}, c.type.toLowerCase()))))));
    }
    question.focus();
  }

  async function load(what: string, path: string, init: RequestInit): Promise<void> {
    setStatus(`Loading ${what}…`);
    try {
      const resp = await call(path + (workspace ? (path.includes("?") ? "&" : "?") + "workspace=" + workspace : ""), init);
      const reply = (await resp.json()) as WorkspaceReply;
      showTables(reply);
      setStatus(`Loaded ${reply.loaded.join(", ")}. Ask a question below.`);
    } catch (e) {
      if (e instanceof HTTPError && e.status === 404 && workspace) {
        workspace = "";
        return load(what, path, init);
      }
      setStatus(`Could not load ${what}: ${errText(e)}`, true);
    }
  }

  function upload(file: File): Promise<void> {
    return load(file.name, "api/v1/upload?filename=" + encodeURIComponent(file.name),
      { method: "POST", body: file, headers: { "Content-Type": "application/octet-stream" } });
  }

  fileInput.addEventListener("change", () => {
    const f = fileInput.files?.[0];
    if (f) void upload(f).finally(() => { fileInput.value = ""; });
  });
  for (const target of [drop, document.body]) {
    target.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
    target.addEventListener("dragleave", () => drop.classList.remove("over"));
    target.addEventListener("drop", (e) => {
      e.preventDefault();
      e.stopPropagation();
      drop.classList.remove("over");
      const f = (e as DragEvent).dataTransfer?.files?.[0];
      if (f) void upload(f);
    });
  }
  urlForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const url = urlInput.value.trim();
    if (url) void load(url.split("/").pop() || url, "api/v1/load", { method: "POST", body: JSON.stringify({ url }), headers: { "Content-Type": "application/json" } });
  });

  question.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      askForm.requestSubmit();
    }
  });
  askForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = question.value.trim();
    if (q && !busy) void ask(q);
  });

  async function ask(q: string): Promise<void> {
    busy = true;
    send.disabled = true;
    question.value = "";
    conversation.appendChild(h("div", { class: "turn user" }, q));
    const body = h("div", { class: "answer-text" });
    const turn = h("article", { class: "turn assistant pending" }, body);
    conversation.appendChild(turn);
    turn.scrollIntoView({ block: "nearest" });
    const messages: Message[] = [...history, { role: "user", content: q }];
    let text = "";
    let answer: Answer | undefined;
    try {
      const resp = await call("api/v1/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({ messages, workspace: workspace || undefined, structured: true }),
      });
      for await (const ev of readSSE(resp.body!)) {
        if (ev.event === "answer") {
          answer = JSON.parse(ev.data) as Answer;
          continue;
        }
        text += ev.data;
        clear(body);
        body.appendChild(renderMarkdown(text, { skipImages: true }));
      }
      turn.classList.remove("pending");
      clear(turn);
      if (answer) turn.appendChild(renderAnswer(answer));
      else turn.appendChild(h("div", { class: "answer-text" }, renderMarkdown(text)));
      if (/\*\*Error:\*\*/.test(text) && !answer) turn.classList.add("error");
      history.push({ role: "user", content: q }, { role: "assistant", content: answer?.text ?? text });
    } catch (e) {
      turn.classList.remove("pending");
      turn.classList.add("error");
      clear(turn);
      turn.appendChild(h("p", { class: "error" }, errText(e)));
      if (!(e instanceof HTTPError && e.status === 401)) question.value = q;
    } finally {
      busy = false;
      send.disabled = false;
    }
  }

  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redrawCharts);
  void checkToken();
}

function loginForm(done: () => void): HTMLElement {
  const input = h("input", { type: "password", id: "token", name: "token", autocomplete: "current-password", required: true });
  const form = h("form", { id: "login" },
    h("h1", {}, "datachat"),
    h("label", { for: "token" }, "This server needs its access token"), input,
    h("p", { class: "error", role: "alert" }),
    h("button", { type: "submit" }, "Sign in"),
    h("p", { class: "hint" }, "The token is kept in this tab only and forgotten when you close it."));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    sessionStorage.setItem(tokenKey, input.value.trim());
    input.value = "";
    done();
  });
  return h("div", { class: "login" }, form);
}

function errText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
