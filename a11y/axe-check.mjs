// axe-core (WCAG 2.0/2.1 A and AA rules) in headless Chromium over every page of the built book.
//
//   node a11y/axe-check.mjs [_build/html] [--json report.json]
//
// Serves the site on a loopback port (so scripts, fonts and the search index load as on a web
// server), opens every .html page in light and in dark colour scheme, runs axe and prints each
// page's violations. Exits 1 if any violation is serious or critical, 2 if the check could not run.
// Chromium: $CHROMIUM, else /usr/bin/chromium (Debian's package); puppeteer-core never downloads one.
import { createServer } from "node:http";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { extname, join, relative, resolve, sep } from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const FAILING = new Set(["serious", "critical"]);
const SCHEMES = ["light", "dark"];
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".json": "application/json",
  ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8",
};

function parseArgs(argv) {
  const args = { root: "_build/html", json: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") args.json = argv[++i];
    else args.root = argv[i];
  }
  return args;
}

// Every built page; hidden folders (stray caches) and copied sources are not part of the site.
function pages(root, dir = root) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || ["_sources", "_static", "_images"].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pages(root, path));
    else if (entry.name.endsWith(".html")) out.push(relative(root, path).split(sep).join("/"));
  }
  return out.sort();
}

function serve(root) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let path = resolve(root, "." + decodeURIComponent(url.pathname));
    if (!path.startsWith(root)) { res.writeHead(403).end(); return; }
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, "index.html");
    if (!existsSync(path)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "Content-Type": TYPES[extname(path)] || "application/octet-stream" });
    res.end(readFileSync(path));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const root = resolve(args.root);
  if (!existsSync(join(root, "index.html"))) {
    console.error(`axe: no built site at ${root} (run make book first)`);
    return 2;
  }
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    console.error(`axe: Chromium not found at ${executablePath}`);
    return 2;
  }
  const server = await serve(root);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const profile = mkdtempSync(join(tmpdir(), "axe-chromium-"));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir: profile,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage", "--lang=da-DK"],
  });
  const report = [];
  let failing = 0;
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    // Pages must not reach the internet; anything not served from the loopback is refused.
    await page.setRequestInterception(true);
    page.on("request", (r) => (r.url().startsWith(base) || r.url().startsWith("data:") ? r.continue() : r.abort()));
    for (const name of pages(root)) {
      // A redirect stub (the site's index.html) has no content of its own: check that its target exists.
      const refresh = readFileSync(join(root, name), "utf8").match(/http-equiv="refresh"[^>]*url=([^"]+)"/i);
      if (refresh) {
        const target = join(root, name, "..", refresh[1]);
        const ok = existsSync(target);
        if (!ok) failing += 1;
        console.log(`${name}: redirect to ${refresh[1]}${ok ? "" : " (missing!)"}`);
        continue;
      }
      for (const scheme of SCHEMES) {
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
        await page.goto(base + name, { waitUntil: "networkidle0", timeout: 60000 });
        await page.evaluate(() => document.fonts.ready);
        await page.evaluate(AXE_SOURCE);
        const result = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
          TAGS,
        );
        const theme = await page.evaluate(() => document.documentElement.dataset.theme || "");
        const violations = result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
        }));
        const bad = violations.filter((v) => FAILING.has(v.impact));
        failing += bad.length;
        report.push({ page: name, scheme, theme, violations });
        const status = violations.length === 0 ? "ok" : `${violations.length} violation(s), ${bad.length} serious/critical`;
        console.log(`${name} [${scheme}${theme && theme !== scheme ? `, theme ${theme}` : ""}]: ${status}`);
        for (const v of violations) {
          console.log(`  - ${v.impact}: ${v.id} – ${v.help} (${v.nodes.length} element(s))`);
          for (const n of v.nodes.slice(0, 3)) console.log(`      ${n.target}`);
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  if (args.json) writeFileSync(args.json, JSON.stringify({ axe: require("axe-core/package.json").version, tags: TAGS, report }, null, 2));
  const checked = report.length;
  console.log(`axe ${require("axe-core/package.json").version}: ${checked} page views checked (${TAGS.join(", ")}); `
    + `${failing} serious/critical violation(s)`);
  return failing ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
