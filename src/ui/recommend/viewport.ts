/**
 * The trie's zoom and pan: a view maps the layout's coordinates to the panel's
 * (`panel = layout * scale + (x, y)`). Fitting scales the whole trie into the panel (never above
 * 100 %); zooming keeps the point under the given centre still; panning moves by panel pixels.
 * Pure: no React.
 */

export interface Size {
  width: number;
  height: number;
}

export interface View {
  scale: number;
  x: number;
  y: number;
}

const MIN_SCALE = 0.05;
export const MAX_SCALE = 4;
export const ZOOM_STEP = 1.25;
/** the margin a fitted trie keeps from the panel's edges, in panel pixels */
const FIT_PADDING = 6;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * The largest scale (at most 1) at which the whole content lies inside the viewport, with the content
 * at the viewport's top left (centred vertically when it is shorter than the viewport).
 */
export function fitView(content: Size, viewport: Size): View {
  const room = { width: viewport.width - 2 * FIT_PADDING, height: viewport.height - 2 * FIT_PADDING };
  if (content.width <= 0 || content.height <= 0 || room.width <= 0 || room.height <= 0)
    return { scale: 1, x: 0, y: 0 };
  const scale = clamp(Math.min(1, room.width / content.width, room.height / content.height), MIN_SCALE, 1);
  return {
    scale,
    x: FIT_PADDING,
    y: FIT_PADDING + Math.max(0, (room.height - content.height * scale) / 2),
  };
}

/** Zooms by `factor` about `centre` (panel coordinates), within MIN_SCALE..MAX_SCALE. */
export function zoomView(v: View, factor: number, centre: { x: number; y: number }): View {
  const scale = clamp(v.scale * factor, MIN_SCALE, MAX_SCALE);
  const k = scale / v.scale;
  return { scale, x: centre.x - (centre.x - v.x) * k, y: centre.y - (centre.y - v.y) * k };
}

export function panView(v: View, dx: number, dy: number): View {
  return { ...v, x: v.x + dx, y: v.y + dy };
}

/** The view moved just enough for the layout point (x, y) to be `margin` inside the viewport. */
export function revealPoint(v: View, viewport: Size, p: { x: number; y: number }, margin = 40): View {
  const px = p.x * v.scale + v.x;
  const py = p.y * v.scale + v.y;
  let dx = 0;
  let dy = 0;
  if (px < margin) dx = margin - px;
  else if (px > viewport.width - margin) dx = viewport.width - margin - px;
  if (py < margin) dy = margin - py;
  else if (py > viewport.height - margin) dy = viewport.height - margin - py;
  return dx === 0 && dy === 0 ? v : panView(v, dx, dy);
}

/** The content's box in panel coordinates under view `v`. */
export function contentBox(
  v: View,
  content: Size,
): { left: number; top: number; right: number; bottom: number } {
  return {
    left: v.x,
    top: v.y,
    right: v.x + content.width * v.scale,
    bottom: v.y + content.height * v.scale,
  };
}
