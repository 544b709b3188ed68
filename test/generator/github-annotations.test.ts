import { describe, expect, it } from "vitest";
import { githubAnnotation } from "../../generator/github-annotations.js";

describe("githubAnnotation", () => {
  it("writes a workflow command with its properties, escaping what would end it early", () => {
    expect(githubAnnotation({ level: "error", file: "spec/a,b.yaml", line: 3, col: 5, title: "spec:lint x", message: "100% wrong\nsecond line\r" })).toBe(
      "::error file=spec/a%2Cb.yaml,line=3,col=5,title=spec%3Alint x::100%25 wrong%0Asecond line%0D",
    );
    expect(githubAnnotation({ level: "notice", message: "a: b, c" })).toBe("::notice::a: b, c");
  });
});
