/**
 * Bundle size: what an app pays for importing one feature of messenger-sdk. Each app is bundled
 * by esbuild (ESM, platform neutral, minified, tree-shaken) against the package as installed
 * (node_modules/messenger-sdk → the SDK folder, so its package.json and `sideEffects: false` count),
 * then gzipped (level 9).
 */
import { build, type Metafile } from "esbuild";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { fmtBytes, outDir, type SectionResult } from "./lib.js";

/** The budgets of issue #17: each client app ≤ 12 KB, the webhook app ≤ 8 KB (min+gzip). */
const APPS: Record<string, { title: string; code: string; budget: number }> = {
  "graph-send-text": {
    title: "GraphClient, send a text message",
    budget: 12 * 1024,
    code: `import { GraphClient } from "messenger-sdk";
const graph = new GraphClient({ accessToken: "TOKEN", pageId: "PAGE" });
const sent = await graph.sendMessage({ recipient: { id: "PSID" }, messaging_type: "RESPONSE", message: { text: "hello" } });
console.log(sent.message_id);
`,
  },
  "sobot-send-text": {
    title: "SobotClient, send a text message",
    budget: 12 * 1024,
    code: `import { SobotClient } from "messenger-sdk";
const sobot = new SobotClient({ appId: "APPID", appKey: "KEY" });
await sobot.sendMessage({ pageid: "PAGE", recipientid: "PSID", type: "text", payload: "hello", messaging_type: "RESPONSE" });
`,
  },
  "graph-webhook": {
    title: "parseGraphWebhook",
    budget: 8 * 1024,
    code: `import { parseGraphWebhook } from "messenger-sdk/graph";
export default async function handle(request) {
  const events = await parseGraphWebhook(await request.text(), { signature: request.headers.get("x-hub-signature-256"), appSecret: "SECRET" });
  return events.length;
}
`,
  },
};

export interface BundleFigure {
  app: string;
  title: string;
  budget: number;
  minified: number;
  gzip: number;
  /** The biggest inputs, bytes in the minified output. */
  largestInputs: { path: string; bytes: number }[];
}

export async function bundleApps(sdkDir: string, label = "sdk"): Promise<BundleFigure[]> {
  const dir = outDir("bundle", label);
  rmSync(join(dir, "node_modules"), { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(sdkDir, join(dir, "node_modules", "messenger-sdk"), "dir");
  const figures: BundleFigure[] = [];
  for (const [app, { title, code, budget }] of Object.entries(APPS)) {
    const entry = join(dir, `${app}.mjs`);
    writeFileSync(entry, code);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      minify: true,
      treeShaking: true,
      metafile: true,
      logLevel: "silent",
      absWorkingDir: dir,
    });
    const output = result.outputFiles[0]!.contents;
    writeFileSync(join(dir, `${app}.bundle.js`), output);
    figures.push({ app, title, budget, minified: output.byteLength, gzip: gzipSync(output, { level: 9 }).byteLength, largestInputs: largest(result.metafile) });
  }
  return figures;
}

function largest(metafile: Metafile): { path: string; bytes: number }[] {
  const output = Object.values(metafile.outputs)[0]!;
  return Object.entries(output.inputs)
    .map(([path, { bytesInOutput }]) => ({ path: path.replace(/^.*?(?=dist\/|node_modules\/)/, ""), bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
}

export async function bundleSection(sdkDir: string): Promise<SectionResult> {
  const figures = await bundleApps(sdkDir);
  return {
    rows: figures.map((f) => ({
      section: "4 bundle",
      metric: `${f.title} (min+gz)`,
      ours: fmtBytes(f.gzip),
      peer: `budget ${f.budget / 1024} KB`,
      ratio: Math.round((f.budget / f.gzip) * 100) / 100,
      ratioLabel: "budget / size",
      target: `≤ ${f.budget / 1024} KB`,
      met: f.gzip <= f.budget,
    })),
    data: { apps: figures },
  };
}

if (process.argv[1]?.endsWith("bundle.ts")) {
  const sdk = process.argv[2] ?? join(process.cwd(), "generated");
  console.log(JSON.stringify(await bundleApps(sdk, process.argv[3] ?? "sdk"), null, 2));
}
