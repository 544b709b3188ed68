import { buildPackage } from "../../generator/build-package.js";
import { generatedDir, rootDir } from "./paths.js";

/** The type and consumer tests read generated/dist; build it once from the committed sources. */
export default function setup(): void {
  buildPackage(generatedDir, rootDir);
}
