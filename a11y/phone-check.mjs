// Every page of the built book as a phone shows it, in headless Chromium: no page scrolls sideways, and
// no chart's text is smaller than 9 CSS px as displayed.
//
//   node a11y/phone-check.mjs [_build/html] [--width 390] [--min-px 9]
//
// A chart is an SVG image (matplotlib's, text kept as text): its smallest font-size, in the SVG's own
// units, times the width the image is shown at over the width of its viewBox is the text's size on the
// screen. A page scrolls sideways when something outside a box that scrolls by itself is wider than the
// window. Exits 1 if a page fails, 2 if the check could not run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

function parseArgs(argv) {
  const args = { root: "_build/html", width: 390, minPx: 9 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--width") args.width = Number(argv[++i]);
    else if (argv[i] === "--min-px") args.minPx = Number(argv[++i]);
    else args.root = argv[i];
  }
  return args;
}

// The built pages, without the theme's folders and hidden ones.
function htmlPages(root, dir = root) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || ["_sources", "_static", "_images"].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlPages(root, path);
    return entry.name.endsWith(".html") ? [relative(root, path).split(sep).join("/")] : [];
  }).sort();
}

// The smallest text of an SVG file in its own units, and the width of its viewBox.
function svgText(file) {
  const svg = readFileSync(file, "utf8");
  const view = svg.match(/viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)/);
  const sizes = [...svg.matchAll(/font-size:\s*([\d.]+)px/g)].map((m) => Number(m[1]));
  return view && sizes.length ? { smallest: Math.min(...sizes), viewWidth: Number(view[1]) } : null;
}

async function measure(tab) {
  return tab.evaluate(() => {
    const doc = document.documentElement;
    const scrollsByItself = (element) => {
      for (let p = element.parentElement; p; p = p.parentElement) {
        if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const wide = [...document.body.querySelectorAll("*")]
      .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1 && !scrollsByItself(e))
      .slice(0, 3).map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">`);
    const charts = [...document.images].filter((i) => /\.svg$/i.test(i.getAttribute("src") || ""))
      .map((i) => ({ src: i.src, shown: i.getBoundingClientRect().width })).filter((i) => i.shown > 0);
    return { sideways: doc.scrollWidth - doc.clientWidth, wide, charts };
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const root = resolve(args.root);
  const profile = mkdtempSync(join(tmpdir(), "phone-check-"));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, userDataDir: profile,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  let failing = 0, checked = 0;
  const pages = htmlPages(root);
  try {
    const tab = await browser.newPage();
    await tab.setViewport({ width: args.width, height: 800 });
    for (const name of pages) {
      if (/http-equiv="refresh"/i.test(readFileSync(join(root, name), "utf8"))) continue;  // a redirect stub
      await tab.goto(pathToFileURL(join(root, name)).href, { waitUntil: "load" });
      checked += 1;
      const found = await measure(tab);
      const problems = [];
      if (found.sideways > 1) problems.push(`scrolls sideways by ${found.sideways} px (${found.wide.join(", ")})`);
      for (const chart of found.charts) {
        const text = svgText(new URL(chart.src));
        if (!text) continue;
        const px = text.smallest * chart.shown / text.viewWidth;
        if (px < args.minPx) problems.push(`chart ${chart.src.split("/").pop()}: text ${px.toFixed(1)} px`);
      }
      if (problems.length) {
        failing += 1;
        console.log(`${name}:`);
        for (const problem of problems) console.log(`  - ${problem}`);
      }
    }
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${checked} pages at ${args.width} px: ${failing} with sideways scrolling or chart text `
              + `under ${args.minPx} px`);
  return failing ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => { console.error(error); process.exit(2); });
