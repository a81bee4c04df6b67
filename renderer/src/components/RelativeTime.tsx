import { useEffect, useReducer } from 'react';
import { relativeTime } from '../lib/format';

/** "3 minutes ago", kept current while on screen; the exact time is in the tooltip and the datetime attribute. */
export function RelativeTime({ iso }: { iso: string }) {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(tick, 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso)}
    </time>
  );
}
