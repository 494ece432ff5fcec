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
// Browsers checking pages at once (AXE_WORKERS overrides): the check is mostly the browser's work.
const WORKERS = Math.max(1, Number(process.env.AXE_WORKERS) || 2);
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

// One page in both colour schemes: loaded in the first, checked, then switched to the next in place. A
// reload per scheme costs the browser as much as axe itself; switching in place gives the same result
// (the two agreed on every page of the book) once the theme has followed the scheme (pydata-sphinx-theme sets
// data-theme from the media query's change event) and every CSS transition has ended, so axe never
// reads a colour halfway between the two themes.
async function checkPage(page, base, views) {
  for (const [i, view] of views.entries()) {
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: view.scheme }]);
    if (i === 0) {
      await page.goto(base + view.name, { waitUntil: "networkidle0", timeout: 60000 });
      await page.evaluate(() => document.fonts.ready);
      await page.evaluate(AXE_SOURCE);
    } else {
      await page.waitForFunction(
        (scheme) => [undefined, scheme].includes(document.documentElement.dataset.theme), { timeout: 10000 }, view.scheme,
      );
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));
    }
    await check(page, view);
  }
}

// One page view in the scheme the page shows now: run axe, keep the violations and the lines to print.
async function check(page, view) {
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
  view.result = { page: view.name, scheme: view.scheme, theme, violations };
  const status = violations.length === 0 ? "ok" : `${violations.length} violation(s), ${bad.length} serious/critical`;
  view.lines.push(`${view.name} [${view.scheme}${theme && theme !== view.scheme ? `, theme ${theme}` : ""}]: ${status}`);
  for (const v of violations) {
    view.lines.push(`  - ${v.impact}: ${v.id} – ${v.help} (${v.nodes.length} element(s))`);
    for (const n of v.nodes.slice(0, 3)) view.lines.push(`      ${n.target}`);
  }
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
  const views = [];
  const jobs = [];  // the views of one page, checked in one browser one after the other
  let failing = 0;
  for (const name of pages(root)) {
    // A redirect stub (the site's index.html) has no content of its own: check that its target exists.
    const refresh = readFileSync(join(root, name), "utf8").match(/http-equiv="refresh"[^>]*url=([^"]+)"/i);
    if (refresh) {
      const ok = existsSync(join(root, name, "..", refresh[1]));
      if (!ok) failing += 1;
      views.push({ name, lines: [`${name}: redirect to ${refresh[1]}${ok ? "" : " (missing!)"}`] });
      continue;
    }
    const job = SCHEMES.map((scheme) => ({ name, scheme, lines: [] }));
    views.push(...job);
    jobs.push(job);
  }
  // Several browsers, each with one page in front, share out the pages. Not several tabs of one
  // browser: a tab in the background does not run its CSS transitions, so axe could read a colour
  // halfway between the light and the dark theme.
  let next = 0;
  const worker = async () => {
    const profile = mkdtempSync(join(tmpdir(), "axe-chromium-"));
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir: profile,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--lang=da-DK"],
    });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      // Pages must not reach the internet; anything not served from the loopback is refused.
      await page.setRequestInterception(true);
      page.on("request", (r) => (r.url().startsWith(base) || r.url().startsWith("data:") ? r.continue() : r.abort()));
      while (next < jobs.length) await checkPage(page, base, jobs[next++]);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  };
  try {
    await Promise.all(Array.from({ length: WORKERS }, worker));
  } finally {
    server.close();
  }
  // Printed in page order, whatever order the browsers finished in.
  const report = [];
  for (const view of views) {
    for (const line of view.lines) console.log(line);
    if (!view.result) continue;
    report.push(view.result);
    failing += view.result.violations.filter((v) => FAILING.has(v.impact)).length;
  }
  if (args.json) writeFileSync(args.json, JSON.stringify({ axe: require("axe-core/package.json").version, tags: TAGS, report }, null, 2));
  const checked = report.length;
  console.log(`axe ${require("axe-core/package.json").version}: ${checked} page views checked (${TAGS.join(", ")}); `
    + `${failing} serious/critical violation(s)`);
  return failing ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(2); });
