/**
 * Polls `condition` until it holds. The deadline only ends a hang: it is far beyond what any step
 * needs on a busy machine, so reaching it means the awaited thing never happened.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, deadlineMs = 120_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
