import { describe, expect, it, vi } from 'vitest';
import { iteratePages, type Page } from '../../templates/core/paging.js';

function page(pageNo: number, items: number[], pageCount: number, pageSize = 2, total = 0): Page<number> {
  return { items, page_no: pageNo, page_size: pageSize, page_count: pageCount, total_count: total };
}

async function collect(pages: AsyncIterable<Page<number>>): Promise<number[][]> {
  const seen: number[][] = [];
  for await (const p of pages) seen.push(p.items);
  return seen;
}

describe('iteratePages', () => {
  it('walks pages 1..page_count', async () => {
    const fetchPage = vi.fn(async (n: number) => page(n, [n * 10, n * 10 + 1], 3));
    expect(await collect(iteratePages(fetchPage))).toEqual([[10, 11], [20, 21], [30, 31]]);
    expect(fetchPage.mock.calls.map(([n]) => n)).toEqual([1, 2, 3]);
  });

  it('starts at firstPage', async () => {
    const fetchPage = vi.fn(async (n: number) => page(n, [n], 3));
    expect(await collect(iteratePages(fetchPage, 2))).toEqual([[2], [3]]);
  });

  it('stops on an empty page when page_count is overstated', async () => {
    const fetchPage = vi.fn(async (n: number) => page(n, n <= 2 ? [n] : [], 1_000_000));
    expect(await collect(iteratePages(fetchPage))).toEqual([[1], [2], []]);
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it('yields a single empty page for an empty list', async () => {
    const fetchPage = vi.fn(async (n: number) => page(n, [], 0));
    expect(await collect(iteratePages(fetchPage))).toEqual([[]]);
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it('trusts page_count over a short page', async () => {
    // A server that caps page_size may echo the requested size with fewer items.
    const fetchPage = vi.fn(async (n: number) => page(n, [n], 3, 100));
    expect(await collect(iteratePages(fetchPage))).toEqual([[1], [2], [3]]);
  });

  it('without a usable page_count, stops after a short page', async () => {
    const fetchPage = vi.fn(async (n: number) => ({ ...page(n, n < 3 ? [n, n] : [n], 0), page_count: undefined as unknown as number }));
    expect(await collect(iteratePages(fetchPage))).toEqual([[1, 1], [2, 2], [3]]);
  });

  it('reads numeric strings as numbers', async () => {
    const fetchPage = vi.fn(async (n: number) => ({ ...page(n, [n], 0), page_count: '2' as unknown as number }));
    expect(await collect(iteratePages(fetchPage))).toEqual([[1], [2]]);
  });

  it('stops early when the consumer breaks out', async () => {
    const fetchPage = vi.fn(async (n: number) => page(n, [n], 100));
    for await (const p of iteratePages(fetchPage)) {
      if (p.page_no === 2) break;
    }
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('propagates a failing fetch', async () => {
    const fetchPage = vi.fn(async (n: number) => {
      if (n === 2) throw new Error('boom');
      return page(n, [n], 3);
    });
    await expect(collect(iteratePages(fetchPage))).rejects.toThrow('boom');
  });
});
