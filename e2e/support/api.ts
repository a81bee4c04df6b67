import type { Page } from 'playwright-core';
import type { ChannelName } from '../../shared/api';
import type { Report } from '../../shared/report';

/** Calls a channel of `dockhand serve` from the page, with its session, as the UI would; the result, or throws. */
export async function callApi<T>(page: Page, channel: ChannelName, input: unknown = {}): Promise<T> {
  const envelope = await page.evaluate(
    async ([name, body]) => {
      const res = await fetch(`/api/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await res.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
    },
    [channel, input] as const,
  );
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.message}`);
  return envelope.result as T;
}

export const lastReport = (page: Page): Promise<Report> => callApi<Report>(page, 'report.last');
