import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';

type PictureReading = Result<'ocr.get'>;

/** How often an open picture waiting to be read asks again. */
const WAITING_POLL_MS = 2000;

/**
 * The open picture's reading (ocr.get, one row), asked again every 2 s while it waits or is
 * being read, so the panel fills in when the reading is saved (not while the window is hidden). `reload` after a read-again.
 */
export function usePictureReading(itemId: string | null, enabled: boolean) {
  const [reading, setReading] = useState<PictureReading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    setReading(null);
    setError(null);
  }, [itemId]);

  useEffect(() => {
    if (!itemId || !enabled) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const ask = async () => {
      try {
        const r = await api['ocr.get']({ id: itemId });
        if (!live) return;
        setReading(r);
        setError(null);
        if (r.state === 'queued') timer = setTimeout(() => void later(), WAITING_POLL_MS);
      } catch (e) {
        if (live) setError(messageOf(e));
      }
    };
    // Hidden (minimised, another tab): ask again only once visible.
    const later = async () => {
      if (document.visibilityState === 'visible') return ask();
      document.addEventListener('visibilitychange', onVisible);
    };
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      document.removeEventListener('visibilitychange', onVisible);
      if (live) void ask();
    };
    void ask();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [itemId, enabled, tick]);

  return { reading, error, reload };
}
