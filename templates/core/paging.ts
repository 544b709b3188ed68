/**
 * Walking paged lists: Sobot's page-numbered ones (`page_no`, counted from 1),
 * and Graph's cursor-paged ones (`paging.cursors.after`, `paging.next`).
 */

export interface Page<T> {
  items: T[];
  page_no: number;
  page_size: number;
  page_count: number;
  total_count: number;
}

/**
 * Yields pages from `firstPage` (default 1) on, one request each.
 *
 * Stops after page number `page_count`, or after a page with no items: a server
 * that overstates `page_count` costs one extra request, and empty pages cannot
 * keep the loop going. When `page_count` is missing, a page with fewer than
 * `page_size` items also ends the walk. (It is not used otherwise: a server that
 * caps the page size may echo the requested size, and stopping on its full but
 * "short" pages would lose items.)
 */
export async function* iteratePages<T>(
  fetchPage: (pageNo: number) => Promise<Page<T>>,
  firstPage = 1,
): AsyncGenerator<Page<T>, void, undefined> {
  for (let pageNo = firstPage; ; pageNo++) {
    const page = await fetchPage(pageNo);
    yield page;
    const items: unknown = page.items;
    const count = Array.isArray(items) ? items.length : 0;
    if (count === 0) return;
    const pageCount = asNumber(page.page_count);
    const pageSize = asNumber(page.page_size);
    if (pageCount !== undefined) {
      if (pageNo >= pageCount) return;
    } else if (pageSize !== undefined && count < pageSize) {
      return;
    }
  }
}

/** The schema says Integer, but a numeric string ("12") is read the same way. */
function asNumber(value: unknown): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}

/**
 * Yields the answers of a cursor-paged list from `firstRequest` on, one request
 * each. `nextCursor` reads an answer's cursor of the next page (undefined on the
 * last page: the answer names no next page, or no cursor), and `withCursor`
 * puts it into the next request. A cursor that comes back unchanged also ends
 * the walk: asking again would return the same page forever.
 */
export async function* iterateCursorPages<Request, Answer>(
  fetchPage: (request: Request) => Promise<Answer>,
  firstRequest: Request,
  nextCursor: (answer: Answer) => string | undefined,
  withCursor: (request: Request, cursor: string) => Request,
): AsyncGenerator<Answer, void, undefined> {
  let request = firstRequest;
  let previous: string | undefined;
  for (;;) {
    const answer = await fetchPage(request);
    yield answer;
    const cursor = nextCursor(answer);
    if (cursor === undefined || cursor === "" || cursor === previous) return;
    previous = cursor;
    request = withCursor(request, cursor);
  }
}
