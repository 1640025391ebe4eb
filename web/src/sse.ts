// Reads a server-sent event stream from a fetch response body: data-only
// events (the ChatCSV answer text) and named events (the structured answer).

export interface SSEEvent { event: string; data: string }

export async function* readSSE(body: ReadableStream<Uint8Array>): AsyncGenerator<SSEEvent> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  let event = "";
  let data: string[] = [];
  let sawData = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let nl: number;
    while ((nl = buf.search(/\r\n|\r|\n/)) >= 0) {
      if (nl === buf.length - 1 && buf[nl] === "\r") break; // its \n may follow
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + (buf.startsWith("\r\n", nl) ? 2 : 1));
      if (line === "") {
        if (sawData) yield { event: event || "message", data: data.join("\n") };
        event = "";
        data = [];
        sawData = false;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let val = colon < 0 ? "" : line.slice(colon + 1);
      if (val.startsWith(" ")) val = val.slice(1);
      if (field === "data") { data.push(val); sawData = true; }
      else if (field === "event") event = val;
    }
  }
  if (sawData) yield { event: event || "message", data: data.join("\n") };
}
