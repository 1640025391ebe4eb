// Builds the front end into self-contained HTML files (inline script and
// style, no network at run time):
//   dist/index.html      the chat page and MCP App view (go:embed'ded by web.go)
//   testdata/host.html   a small MCP Apps host page for the browser tests
// `node build.mjs --check` builds in memory and fails when a committed file
// differs from what its sources give (CI runs it after `npm ci`).
import { build } from "esbuild";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes("--check");

const targets = [
  { entry: "src/main.ts", css: "src/style.css", html: "src/index.html", out: "dist/index.html" },
  { entry: "testhost/host.ts", css: null, html: "testhost/host.html", out: "testdata/host.html" },
];

async function bundle(entry) {
  const res = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    write: false,
    minify: true,
    format: "iife",
    platform: "browser",
    target: ["es2022"],
    charset: "utf8",
    legalComments: "eof",
    sourcemap: false,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });
  return res.outputFiles[0].text;
}

let stale = 0;
for (const t of targets) {
  // "</script" inside the bundle would end the inline script early; "<\/"
  // means the same in every JavaScript string, template and regexp.
  const js = (await bundle(t.entry)).replace(/<\/(script)/gi, "<\\/$1").trimEnd();
  const css = t.css ? (await readFile(join(here, t.css), "utf8")).trim() : "";
  const template = await readFile(join(here, t.html), "utf8");
  if (!template.includes("/*SCRIPT*/")) throw new Error(`${t.html}: no /*SCRIPT*/ placeholder`);
  const html = template.replace("/*STYLE*/", () => css).replace("/*SCRIPT*/", () => js);
  const out = join(here, t.out);
  if (check) {
    const have = await readFile(out, "utf8").catch(() => "");
    if (have !== html) {
      console.error(`web/${t.out} does not match its sources: run (cd web && npm ci && npm run build) and commit it`);
      stale++;
    } else {
      console.log(`web/${t.out} matches its sources (${html.length} bytes)`);
    }
  } else {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, html);
    console.log(`wrote web/${t.out} (${html.length} bytes)`);
  }
}
process.exit(stale ? 1 : 0);
