import { describe, expect, it } from "vitest";
import { addChangelogEntry, bumpFor, bumpVersion, majorRaised, requiredVersion } from "../../generator/diff/version.js";

describe("versioning the generated package with the spec", () => {
  it("maps the level of the changes to a semver bump", () => {
    expect(bumpFor("breaking")).toBe("major");
    expect(bumpFor("non-breaking")).toBe("minor");
    expect(bumpFor("documentation")).toBe("patch");
    expect(bumpFor("none")).toBeUndefined();
    expect(bumpVersion("1.4.2", "major")).toBe("2.0.0");
    expect(bumpVersion("1.4.2", "minor")).toBe("1.5.0");
    expect(bumpVersion("1.4.2", "patch")).toBe("1.4.3");
  });

  it("bumps from the old version, and only once", () => {
    expect(requiredVersion("1.4.2", "1.4.2", "breaking")).toBe("2.0.0");
    expect(requiredVersion("1.4.2", "2.0.0", "breaking")).toBe("2.0.0");
    expect(requiredVersion("1.4.2", "1.5.0", "breaking")).toBe("2.0.0");
    expect(requiredVersion("1.4.2", "2.0.0", "documentation")).toBe("2.0.0");
    expect(requiredVersion("1.4.2", "1.4.2", "none")).toBe("1.4.2");
  });

  it("treats a raised major version as acknowledging breaking changes", () => {
    expect(majorRaised("1.4.2", "2.0.0")).toBe(true);
    expect(majorRaised("1.4.2", "1.5.0")).toBe(false);
    expect(majorRaised(undefined, "2.0.0")).toBe(false);
  });

  it("adds changelog entries newest first and replaces an entry of the same version", () => {
    const first = addChangelogEntry(undefined, "1.1.0", "## 1.1.0 (2025-01-01)\n\n### Non-breaking changes\n\n- a\n");
    expect(first).toMatch(/^# Changelog\n/);
    const second = addChangelogEntry(first, "2.0.0", "## 2.0.0 (2025-02-01)\n\n### Breaking changes\n\n- b\n");
    expect(second.indexOf("## 2.0.0")).toBeLessThan(second.indexOf("## 1.1.0"));
    const again = addChangelogEntry(second, "2.0.0", "## 2.0.0 (2025-02-02)\n\n### Breaking changes\n\n- b\n- c\n");
    expect(again.match(/## 2\.0\.0/g)).toHaveLength(1);
    expect(again).toContain("- c");
    expect(again).toContain("## 1.1.0 (2025-01-01)");
    expect(again.endsWith("\n")).toBe(true);
  });
});
