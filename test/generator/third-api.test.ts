/**
 * The generator is general: the fixture test/fixtures/instagram declares in its api section that it
 * follows Graph's conventions (`runtime: { conventions: graph }`), and gets a working client,
 * validators, error table and fake server, with no line of generator/ or templates/ naming it. Its
 * generated package is imported as generated and driven over real HTTP on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, projectPaths } from "../../generator/pipeline.js";
import { writeFiles } from "../../generator/write.js";
import { fixturesDir, rootDir } from "../support/paths.js";

interface InstagramPackage {
  client: { InstagramClient: new (options: Record<string, unknown>) => { sendMessage(request: unknown): Promise<{ message_id?: string }> } };
  testing: {
    startFakeInstagram(): Promise<{ url: string; accessToken: string; delivered(operation?: string): { path: string; body: string }[]; close(): Promise<void> }>;
    instagramErrorExamples: Record<string, unknown>;
  };
  errors: { InstagramErrorCode: Record<string, number> };
  core: { RequestValidationError: new (...args: never[]) => Error; GraphApiError: new (...args: never[]) => Error & { code: number } };
}

let out: string;
let pkg: InstagramPackage;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "instagram-"));
  const { files } = await generate(projectPaths(rootDir, join(fixturesDir, "instagram", "spec")));
  writeFiles(out, files);
  const load = (path: string) => import(pathToFileURL(join(out, "src", path)).href);
  pkg = {
    client: await load("instagram/client.ts"),
    testing: await load("testing/index.ts"),
    errors: await load("instagram/errors.ts"),
    core: await load("core/errors.ts"),
  } as InstagramPackage;
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("a third API declared to follow Graph's conventions", () => {
  it("sends its documented example through its client to its fake, onto POST /{IG_ID}/messages", async () => {
    const fake = await pkg.testing.startFakeInstagram();
    try {
      const client = new pkg.client.InstagramClient({ accessToken: fake.accessToken, pageId: "17841400000000000", baseUrl: fake.url });
      const sent = await client.sendMessage({ recipient: { id: "<IGSID>" }, message: { text: "<TEXT_OR_LINK>" } });
      expect(sent.message_id).toBe("<IG_MESSAGE_ID>");
      const [request] = fake.delivered("sendMessage");
      expect(request?.path).toBe("/17841400000000000/messages");
      expect(JSON.parse(request!.body)).toEqual({ recipient: { id: "<IGSID>" }, message: { text: "<TEXT_OR_LINK>" } });
    } finally {
      await fake.close();
    }
  });

  it("checks the request against its own schema before anything is sent", async () => {
    const fake = await pkg.testing.startFakeInstagram();
    try {
      const client = new pkg.client.InstagramClient({ accessToken: fake.accessToken, pageId: "17841400000000000", baseUrl: fake.url });
      const error = await client.sendMessage({ recipient: { id: "1" }, message: { text: "x".repeat(1001) } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(pkg.core.RequestValidationError);
      expect((error as Error).message).toContain("/message/text: must NOT have more than 1000 characters");
      expect(fake.delivered()).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it("has its own error table, and its fake serves its documented error examples", () => {
    expect(pkg.errors.InstagramErrorCode).toMatchObject({ RateLimitExceeded: 613, InvalidParameter: 100 });
    expect(Object.keys(pkg.testing.instagramErrorExamples)).toEqual(["rateLimited"]);
  });
});
