// A small MCP Apps host for the browser tests: it connects to a real
// datachat server with the MCP client, calls tools, reads the view resource
// the tool names in _meta.ui.resourceUri, renders it in a sandboxed iframe
// and talks to it with AppBridge over PostMessageTransport, as Claude,
// ChatGPT or VS Code do. The Go test drives it through window.runHost and
// reads window.hostState.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { AppBridge, PostMessageTransport, getToolUiResourceUri, isToolVisibilityAppOnly } from "@modelcontextprotocol/ext-apps/app-bridge";

interface Call { name: string; arguments: Record<string, unknown> }
interface RunOptions { token?: string; theme?: "light" | "dark"; setup?: Call[]; call: Call }

const state = {
  ready: false, initialized: false, delivered: false, error: "",
  resourceUri: "", mimeType: "", appOnly: [] as string[], text: "",
  sizes: [] as { width?: number; height?: number }[], forwarded: [] as string[],
};
(window as any).hostState = state;
let bridge: AppBridge | undefined;

function log(msg: string): void {
  document.getElementById("log")!.textContent += msg + "\n";
}

async function runHost(opt: RunOptions): Promise<void> {
  try {
    const headers: Record<string, string> = opt.token ? { Authorization: "Bearer " + opt.token } : {};
    const client = new Client({ name: "datachat-test-host", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL("/mcp", location.href), { requestInit: { headers } }));
    const { tools } = await client.listTools();
    state.appOnly = tools.filter((t) => isToolVisibilityAppOnly(t)).map((t) => t.name);
    const tool = tools.find((t) => t.name === opt.call.name);
    if (!tool) throw new Error("no tool " + opt.call.name);
    const uri = getToolUiResourceUri(tool);
    if (!uri) throw new Error(`tool ${tool.name} names no view`);
    state.resourceUri = uri;
    const res = await client.readResource({ uri });
    const content = res.contents[0] as { mimeType?: string; text?: string };
    state.mimeType = content.mimeType ?? "";
    // Later calls go on in the workspace that load_file returned.
    let workspace = "";
    const withWorkspace = (c: Call): Call =>
      workspace && !("workspace" in c.arguments) ? { ...c, arguments: { ...c.arguments, workspace } } : c;
    for (const c of opt.setup ?? []) {
      const r = await client.callTool(withWorkspace(c));
      if (r.isError) throw new Error(`${c.name} failed: ${JSON.stringify(r.content)}`);
      const ws = (r.structuredContent as { workspace?: string } | undefined)?.workspace;
      if (ws) workspace = ws;
    }
    opt.call = withWorkspace(opt.call);
    const result = await client.callTool(opt.call);
    state.text = (result.content as { type: string; text?: string }[]).filter((c) => c.type === "text").map((c) => c.text).join("\n");
    log(`called ${opt.call.name}; view ${uri} (${state.mimeType}, ${content.text?.length ?? 0} bytes)`);

    const iframe = document.getElementById("frame") as HTMLIFrameElement;
    // No client is given to the bridge: the host answers the view's
    // requests itself, forwarding them to the server, and records them.
    bridge = new AppBridge(null, { name: "datachat-test-host", version: "1.0.0" },
      { openLinks: {}, serverTools: {}, serverResources: {}, logging: {} },
      { hostContext: { theme: opt.theme ?? "light", displayMode: "inline", platform: "web" } });
    bridge.oncalltool = async (params) => {
      state.forwarded.push(params.name);
      return client.callTool(params) as any;
    };
    bridge.onreadresource = async (params) => client.readResource(params) as any;
    bridge.onsizechange = ({ width, height }) => {
      state.sizes.push({ width, height });
      if (height) iframe.style.height = `${Math.ceil(height)}px`;
    };
    bridge.oninitialized = () => {
      state.initialized = true;
      void (async () => {
        await bridge!.sendToolInput({ arguments: opt.call.arguments });
        await bridge!.sendToolResult(result as any);
        state.delivered = true;
      })();
    };
    await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
    iframe.srcdoc = content.text ?? "";
    state.ready = true;
  } catch (e) {
    state.error = e instanceof Error ? e.message : String(e);
    log("error: " + state.error);
  }
}

async function setTheme(theme: "light" | "dark"): Promise<void> {
  document.body.classList.toggle("dark", theme === "dark");
  await bridge?.sendHostContextChange({ theme });
}

(window as any).runHost = runHost;
(window as any).setHostTheme = setTheme;
