/**
 * Deep structural equality of JSON values, with the semantics of fast-deep-equal
 * (which ajv uses for `const`, `enum` and `uniqueItems`): arrays compare element
 * by element, objects by their own enumerable keys regardless of order, and NaN
 * equals NaN.
 *
 * The generated checks call it for a `const` or `enum` that holds objects or arrays.
 */
export default function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;

  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) {
    if (Array.isArray(a) !== Array.isArray(b)) return false;

    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) {
        if (!equal(a[i], b[i])) return false;
      }
      return true;
    }

    const objectA = a as Record<string, unknown>;
    const objectB = b as Record<string, unknown>;
    const keys = Object.keys(objectA);
    if (keys.length !== Object.keys(objectB).length) return false;
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(objectB, key)) return false;
      if (!equal(objectA[key], objectB[key])) return false;
    }
    return true;
  }

  // NaN is the only value not equal to itself.
  return a !== a && b !== b;
}
