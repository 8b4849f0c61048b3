import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { displayName } from '../../../../shared/display-name';
import { connection } from '../../api/transport';
import type { ItemDetail, Region } from '../../stores/item';
import {
  MAX_ZOOM,
  MIN_ZOOM,
  clampPan,
  fitScale,
  isTooSmall,
  pointToFraction,
  rectFromCorners,
  rectToPercentStyle,
  zoomIn,
  zoomOut,
  type FractionRect,
} from './geometry';
import { matchCountText } from './picture-text';
import { useReadOnly } from '../../stores/session';

type Drag =
  | { mode: 'pan'; startX: number; startY: number; from: { x: number; y: number } }
  | { mode: 'draw'; a: { x: number; y: number }; b: { x: number; y: number } };

const PAN_STEP = 60;

/**
 * An image with zoom (buttons, + − 0, the wheel), pan (drag, arrow keys when zoomed) and
 * region marks drawn over it as outlines that follow the zoom. In marking mode a drag draws
 * a new region, reported as fractions of the image.
 */
export function ImageViewer(props: {
  detail: ItemDetail;
  regions: Region[];
  marking: boolean;
  pending: FractionRect | null;
  onMarkingChange(on: boolean): void;
  onDrawn(rect: FractionRect): void;
  /** Words a search matched in the picture's text: outlined over the picture. */
  highlights?: readonly FractionRect[];
  /**
   * Boxes to cover in a redacted copy, drawn as marks are (numbered), or filled black as the
   * copy will be when `filled` (the preview). Set, drawing makes boxes rather than marks.
   */
  covers?: { boxes: readonly FractionRect[]; filled: boolean };
}) {
  const readOnly = useReadOnly();
  const { detail } = props;
  const helpId = useId();
  const frame = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const [frameSize, setFrameSize] = useState({ w: 0, h: 0 });
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const [source, setSource] = useState<'original' | 'thumbnail' | 'none'>('original');
  const [drag, setDrag] = useState<Drag | null>(null);

  useEffect(() => {
    setSource('original');
    setNatural(null);
    setZoom(1);
    setPan({ x: 0, y: 0 });
  }, [detail.id]);

  useLayoutEffect(() => {
    const el = frame.current;
    if (!el) return;
    const measure = () => setFrameSize({ w: el.clientWidth, h: el.clientHeight });
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => observer.disconnect();
  }, []);

  const fit = natural ? fitScale(natural, frameSize) : 1;
  const shown = natural ? { w: natural.w * fit, h: natural.h * fit } : { w: 0, h: 0 };

  const setZoomTo = (z: number) => {
    setZoom(z);
    setPan((p) => clampPan(p, shown, z, frameSize));
  };

  // The wheel zooms; it needs a non-passive listener to keep the page from scrolling.
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;
  const setZoomRef = useRef(setZoomTo);
  setZoomRef.current = setZoomTo;
  useEffect(() => {
    const el = frame.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      setZoomRef.current(e.deltaY < 0 ? zoomIn(zoomRef.current) : zoomOut(zoomRef.current));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    const step = (dx: number, dy: number) =>
      setPan((p) => clampPan({ x: p.x + dx, y: p.y + dy }, shown, zoom, frameSize));
    const keys: Record<string, () => void> = {
      '+': () => setZoomTo(zoomIn(zoom)),
      '=': () => setZoomTo(zoomIn(zoom)),
      '-': () => setZoomTo(zoomOut(zoom)),
      _: () => setZoomTo(zoomOut(zoom)),
      '0': () => {
        setZoom(1);
        setPan({ x: 0, y: 0 });
      },
    };
    if (zoom > 1) {
      keys.ArrowLeft = () => step(PAN_STEP, 0);
      keys.ArrowRight = () => step(-PAN_STEP, 0);
      keys.ArrowUp = () => step(0, PAN_STEP);
      keys.ArrowDown = () => step(0, -PAN_STEP);
    }
    if (props.marking) keys.Escape = () => props.onMarkingChange(false);
    const action = keys[e.key];
    if (action && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      action();
    }
  };

  const fractionAt = (e: PointerEvent) => {
    const r = stage.current!.getBoundingClientRect();
    return pointToFraction(
      { x: e.clientX, y: e.clientY },
      { left: r.left, top: r.top, width: r.width, height: r.height },
    );
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !natural) return;
    if (props.marking) {
      const p = fractionAt(e);
      setDrag({ mode: 'draw', a: p, b: p });
    } else if (zoom > 1) {
      setDrag({ mode: 'pan', startX: e.clientX, startY: e.clientY, from: pan });
    } else return;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    if (drag.mode === 'draw') setDrag({ ...drag, b: fractionAt(e) });
    else
      setPan(
        clampPan(
          { x: drag.from.x + e.clientX - drag.startX, y: drag.from.y + e.clientY - drag.startY },
          shown,
          zoom,
          frameSize,
        ),
      );
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    if (drag.mode === 'draw') {
      const rect = rectFromCorners(drag.a, fractionAt(e));
      if (!isTooSmall(rect)) props.onDrawn(rect);
    }
    setDrag(null);
  };

  const drawing = drag?.mode === 'draw' ? rectFromCorners(drag.a, drag.b) : null;
  const outline = `${Math.max(1, 2 / zoom)}px`;
  const src =
    source === 'none'
      ? null
      : connection.evidenceUrl(detail.id, source as 'original' | 'thumbnail');

  return (
    <div className="image-viewer">
      <div className="viewer-toolbar" role="toolbar" aria-label="Image tools">
        <button
          type="button"
          className="secondary"
          onClick={() => setZoomTo(zoomOut(zoom))}
          disabled={zoom <= MIN_ZOOM}
        >
          Zoom out
        </button>
        <span className="zoom-level" aria-live="polite">
          {Math.round(zoom * fit * 100)}%
        </span>
        <button
          type="button"
          className="secondary"
          onClick={() => setZoomTo(zoomIn(zoom))}
          disabled={zoom >= MAX_ZOOM}
        >
          Zoom in
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setZoom(1);
            setPan({ x: 0, y: 0 });
          }}
          disabled={zoom === 1}
        >
          Fit to window
        </button>
        {!readOnly && (
          <button
            type="button"
            className={props.marking ? '' : 'secondary'}
            aria-pressed={props.marking}
            onClick={() => {
              props.onMarkingChange(!props.marking);
              frame.current?.focus();
            }}
            disabled={!natural || props.covers?.filled}
          >
            {props.covers ? 'Draw a box to cover' : 'Mark a region'}
          </button>
        )}
      </div>
      {props.highlights && props.highlights.length > 0 && (
        <p className="hint ocr-match-count">
          {matchCountText(props.highlights.length)}, outlined on the picture; the words are marked
          in “Text in this picture”.
        </p>
      )}
      <p className="hint" id={helpId}>
        {props.covers?.filled
          ? 'The preview: each covered area is black, as it will be in the copy.'
          : props.marking
            ? props.covers
              ? 'Drag over a part to cover, then choose why it is covered. Escape stops drawing.'
              : 'Drag over the part of the image that matters, then add a comment. Escape stops marking.'
            : 'Plus and minus zoom, 0 fits, arrow keys move a zoomed image.'}
      </p>
      <div
        ref={frame}
        className={`image-frame${props.marking ? ' marking' : ''}${zoom > 1 ? ' zoomed' : ''}`}
        tabIndex={0}
        role="group"
        aria-label={`Image: ${displayName(detail.name)}`}
        aria-describedby={helpId}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
      >
        {src ? (
          <div
            ref={stage}
            className="image-stage"
            style={{
              width: shown.w,
              height: shown.h,
              left: (frameSize.w - shown.w) / 2,
              top: (frameSize.h - shown.h) / 2,
              transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})`,
            }}
          >
            <img
              src={src}
              alt={displayName(detail.name)}
              draggable={false}
              onLoad={(e) =>
                setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })
              }
              onError={() =>
                setSource(source === 'original' && detail.thumbnailBlobId ? 'thumbnail' : 'none')
              }
            />
            {props.regions.map((r, i) => (
              <div
                key={r.id}
                className="region-mark"
                style={{ ...rectToPercentStyle(r), borderWidth: outline }}
                aria-hidden="true"
              >
                <span className="region-label" style={{ transform: `scale(${1 / zoom})` }}>
                  {i + 1}
                </span>
              </div>
            ))}
            {props.highlights?.map((r, i) => (
              <div
                key={`match-${i}`}
                className="ocr-match"
                style={{ ...rectToPercentStyle(r), borderWidth: outline }}
                aria-hidden="true"
              />
            ))}
            {props.covers?.boxes.map((r, i) => (
              <div
                key={`cover-${i}`}
                className={`cover-mark${props.covers!.filled ? ' filled' : ''}`}
                style={{ ...rectToPercentStyle(r), borderWidth: outline }}
                aria-hidden="true"
              >
                {!props.covers!.filled && (
                  <span className="region-label" style={{ transform: `scale(${1 / zoom})` }}>
                    {i + 1}
                  </span>
                )}
              </div>
            ))}
            {(drawing ?? props.pending) && (
              <div
                className="region-mark pending"
                style={{ ...rectToPercentStyle((drawing ?? props.pending)!), borderWidth: outline }}
                aria-hidden="true"
              />
            )}
          </div>
        ) : (
          <p className="viewer-message">
            This image cannot be shown here. The original is kept unchanged in the vault.
          </p>
        )}
      </div>
      {source === 'thumbnail' && (
        <p className="notice">
          This kind of image cannot be shown at full size here, so a smaller preview is shown. The
          original is kept unchanged.
        </p>
      )}
    </div>
  );
}
