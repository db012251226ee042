import { describe, expect, it } from 'vitest';
import { contentBox, fitView, MAX_SCALE, panView, revealPoint, zoomView } from './viewport.ts';

const PANEL = { width: 340, height: 260 };

function inside(box: ReturnType<typeof contentBox>): boolean {
  return box.left >= 0 && box.top >= 0 && box.right <= PANEL.width && box.bottom <= PANEL.height;
}

describe('fitView', () => {
  it('scales a trie wider than the panel down until it fits (the cut-off right edge)', () => {
    const wide = { width: 900, height: 200 };
    const v = fitView(wide, PANEL);
    expect(v.scale).toBeLessThan(1);
    expect(inside(contentBox(v, wide))).toBe(true);
    // as large as fits: the width is what limits it, and it uses it
    expect(contentBox(v, wide).right).toBeCloseTo(PANEL.width - 6, 5);
  });

  it('scales a tall trie by its height', () => {
    const tall = { width: 300, height: 1700 };
    const v = fitView(tall, PANEL);
    expect(inside(contentBox(v, tall))).toBe(true);
    expect(contentBox(v, tall).bottom).toBeCloseTo(PANEL.height - 6, 5);
  });

  it('never enlarges a small trie, and centres it vertically', () => {
    const small = { width: 120, height: 60 };
    const v = fitView(small, PANEL);
    expect(v.scale).toBe(1);
    const box = contentBox(v, small);
    expect(inside(box)).toBe(true);
    expect(box.top - 0).toBeCloseTo(PANEL.height - box.bottom, 5);
  });

  it('an unmeasured panel gives the identity view', () => {
    expect(fitView({ width: 100, height: 100 }, { width: 0, height: 0 })).toEqual({ scale: 1, x: 0, y: 0 });
  });
});

describe('zoomView and panView', () => {
  it('keeps the point under the centre still, and stays within bounds', () => {
    const v = { scale: 0.5, x: 10, y: 20 };
    const c = { x: 170, y: 130 };
    const z = zoomView(v, 1.25, c);
    expect(z.scale).toBeCloseTo(0.625);
    // the layout point under c before is still under c
    const lx = (c.x - v.x) / v.scale;
    expect(lx * z.scale + z.x).toBeCloseTo(c.x);
    expect(zoomView({ scale: MAX_SCALE, x: 0, y: 0 }, 2, c).scale).toBe(MAX_SCALE);
    expect(zoomView(z, 1 / 1.25, c)).toEqual({
      scale: 0.5,
      x: expect.closeTo(10) as number,
      y: expect.closeTo(20) as number,
    });
  });

  it('pans by panel pixels', () => {
    expect(panView({ scale: 2, x: 1, y: 2 }, -40, 10)).toEqual({ scale: 2, x: -39, y: 12 });
  });

  it('reveals a point outside the panel, and leaves a visible one alone', () => {
    const v = { scale: 1, x: 0, y: 0 };
    expect(revealPoint(v, PANEL, { x: 100, y: 100 })).toBe(v);
    const r = revealPoint(v, PANEL, { x: 600, y: 400 });
    expect(600 + r.x).toBeLessThanOrEqual(PANEL.width - 40);
    expect(400 + r.y).toBeLessThanOrEqual(PANEL.height - 40);
  });
});
