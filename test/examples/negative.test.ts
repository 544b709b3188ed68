import { describe, expect, it } from "vitest";
import type { ApiModel } from "../../generator/model/types.js";
import { generatedValidators } from "../support/generated.js";
import { mutationsOf, type MutationKind } from "../support/mutations.js";
import { loadRealSpec } from "../support/spec-examples.js";

const spec = loadRealSpec();

/** The schemas whose documented examples are mutated: each operation's request, each webhook's payload. */
function targets(api: ApiModel): { label: string; schema: string }[] {
  return [
    ...api.operations.map((op) => ({ label: `operation ${op.name}`, schema: op.request.schema })),
    ...api.webhooks.flatMap((hook) => [hook.payload, ...hook.events.map((e) => e.schema)].map((schema) => ({ label: `webhook ${hook.name} (${schema})`, schema }))),
  ].filter((t, i, all) => all.findIndex((o) => o.schema === t.schema) === i);
}

describe.each(spec.apis.map((api) => [api.name, api] as const))("%s: invalid variants of every example are rejected where they break (received enums stay open)", (apiName, api) => {
  const seen = new Map<MutationKind, number>();

  it.each(targets(api).map((t) => [t.label, t] as const))("%s", async (_label, { schema }) => {
    const validators = await generatedValidators(apiName);
    const named = api.schemas.find((s) => s.name === schema)!;
    const examples = (named.schema.examples ?? []).filter((e) => e.valid);
    const failures: string[] = [];
    let count = 0;
    for (const example of examples) {
      for (const mutation of mutationsOf(api, named.schema, example.value)) {
        count++;
        seen.set(mutation.kind, (seen.get(mutation.kind) ?? 0) + 1);
        const issues = validators.issues(schema, mutation.value);
        if (named.side === "receive" && mutation.kind === "wrong-enum") {
          // Received enums are open: Meta adds values without notice, and they must arrive.
          if (issues.length) failures.push(`${example.name}: received ${mutation.what} at '${mutation.at}' → expected no issue, got ${JSON.stringify(issues.slice(0, 4))}`);
          continue;
        }
        if (!issues.some((i) => i.pointer === mutation.expectPointer)) {
          failures.push(`${example.name}: ${mutation.what} at '${mutation.at}' → expected an issue at '${mutation.expectPointer}', got ${JSON.stringify(issues.slice(0, 4))}`);
        }
      }
    }
    expect(failures).toEqual([]);
    if (examples.length) expect(count).toBeGreaterThan(0);
  });

  it("exercised every kind of invalid variant", () => {
    for (const kind of ["over-limit", "missing-required", "wrong-enum", "mixed-variants"] as const) {
      expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
  });
});
