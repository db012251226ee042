/**
 * The trie behind each refined wildcard, laid out by d3-hierarchy (layout.ts) and drawn as SVG.
 * Safe nodes are green circles, unsafe ones orange diamonds with "!", chosen ones filled with a check
 * mark; a node's + / − expands or collapses it. Clicking a node (or Enter / Space on it) chooses it;
 * hovering or focusing shows the actions under it. Keyboard: a WAI-ARIA tree with a roving tabindex.
 * The drawing is fitted to the panel (viewport.ts) and can be zoomed and panned: the buttons in its
 * corner, dragging or the wheel, and keys (+ / − / 0 anywhere in it, arrows on the drawing itself).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Refinement, TrieNode } from '../../recommend/index.ts';
import { ancestorsOfChosen, label, pathTo, unsafeWhy } from './choose.ts';
import { labelWidth, layoutTrie, navigate, type LaidNode } from './layout.ts';
import { fitView, panView, revealPoint, zoomView, ZOOM_STEP, type Size, type View } from './viewport.ts';

const NO_OVERRIDES: ReadonlyMap<string, boolean> = new Map();
/** panel pixels an arrow key pans the drawing by */
const PAN_STEP = 40;
const MAX_LISTED = 80;

export interface TriePanelProps {
  refinements: Refinement[];
  /** ask to choose node `id` in refinement `key`; returns an error text when refused */
  onChoose: (key: string, id: string) => string | undefined;
  onReset: (key: string) => void;
  customKeys: ReadonlySet<string>;
}

function refinementTitle(r: Refinement): string {
  const where = `#${r.statementIndex}${r.sid ? ` ${r.sid}` : ''}`;
  return r.element === 'NotAction' ? `${where} NotAction` : `${where} ${r.pattern}`;
}

function NodeShape({ n }: { n: LaidNode }) {
  const { safe, chosen } = n.node;
  if (!safe)
    return (
      <g className="trie-shape trie-unsafe">
        <rect x={-6.5} y={-6.5} width={13} height={13} transform="rotate(45)" />
        <text className="trie-glyph" y={4}>
          !
        </text>
      </g>
    );
  return (
    <g className={`trie-shape trie-safe${chosen ? ' is-chosen' : ''}`}>
      <circle r={chosen ? 8 : 7} />
      {chosen && <path className="trie-check" d="M -4 0 L -1 3.2 L 4.2 -3.4" />}
    </g>
  );
}

function TrieSvg({
  refinement,
  onChoose,
  onFocusNode,
  onHover,
  focusedId,
  expandAll,
  overrides,
  setOverride,
}: {
  refinement: Refinement;
  onChoose: (id: string) => void;
  onFocusNode: (id: string) => void;
  onHover: (id: string | undefined) => void;
  focusedId: string | undefined;
  expandAll: boolean;
  overrides: ReadonlyMap<string, boolean>;
  setOverride: (id: string, open: boolean) => void;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const [pendingFocus, setPendingFocus] = useState<string>();
  const chosen = useMemo(() => new Set(refinement.chosen), [refinement]);
  const defaults = useMemo(() => ancestorsOfChosen(refinement.trie, chosen), [refinement, chosen]);
  const layout = useMemo(
    () => layoutTrie(refinement.trie, chosen, (id) => overrides.get(id) ?? (expandAll || defaults.has(id))),
    [refinement, chosen, overrides, expandAll, defaults],
  );
  const current = layout.nodes.some((n) => n.id === focusedId) ? focusedId : layout.nodes[0]?.id;

  // The viewport's size, and the view: fitted to it until the user zooms or pans ("0" fits again).
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const [fitted, setFitted] = useState(true);
  const [userView, setUserView] = useState<View>({ scale: 1, x: 0, y: 0 });
  const content = useMemo(() => ({ width: layout.width, height: layout.height }), [layout]);
  const view = fitted ? fitView(content, size) : userView;
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = (): void =>
      setSize((old) =>
        old.width === el.clientWidth && old.height === el.clientHeight
          ? old
          : { width: el.clientWidth, height: el.clientHeight },
      );
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const setView = (next: (v: View) => View): void => {
    setUserView(next(view));
    setFitted(false);
  };
  const centre = { x: size.width / 2, y: size.height / 2 };
  const zoomIn = (): void => setView((v) => zoomView(v, ZOOM_STEP, centre));
  const zoomOut = (): void => setView((v) => zoomView(v, 1 / ZOOM_STEP, centre));
  const fit = (): void => setFitted(true);

  // The wheel pans (Ctrl + wheel zooms about the pointer); a listener of its own, to keep the page still.
  const viewRef = useRef(view);
  useLayoutEffect(() => {
    viewRef.current = view;
  });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const v = viewRef.current;
      setUserView(
        e.ctrlKey
          ? zoomView(v, e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, {
              x: e.clientX - r.left,
              y: e.clientY - r.top,
            })
          : panView(v, -(e.shiftKey ? e.deltaY : e.deltaX), e.shiftKey ? 0 : -e.deltaY),
      );
      setFitted(false);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);
  const drag = useRef<{ x: number; y: number; view: View }>(undefined);

  useEffect(() => {
    if (!pendingFocus) return;
    const el = svg.current?.querySelector<SVGGElement>(`[data-id="${CSS.escape(pendingFocus)}"]`);
    if (el) el.focus({ preventScroll: true });
    // keep the focused node in sight (a fitted view shows every node already)
    const n = layout.nodes.find((x) => x.id === pendingFocus);
    if (n && !fitted) {
      const next = revealPoint(viewRef.current, size, n);
      if (next !== viewRef.current) setUserView(next);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the focus target or the layout changes
  }, [pendingFocus, layout]);

  const onViewKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const pans: Record<string, [number, number]> = {
      ArrowLeft: [PAN_STEP, 0],
      ArrowRight: [-PAN_STEP, 0],
      ArrowUp: [0, PAN_STEP],
      ArrowDown: [0, -PAN_STEP],
    };
    if (e.key === '+' || e.key === '=') zoomIn();
    else if (e.key === '-' || e.key === '−' || e.key === '_') zoomOut();
    else if (e.key === '0') fit();
    // arrows pan on the drawing itself; on a node they walk the tree
    else if (pans[e.key] && e.target === e.currentTarget) {
      const [dx, dy] = pans[e.key]!;
      setView((v) => panView(v, dx, dy));
    } else return;
    e.preventDefault();
  };

  const move = (id: string): void => {
    onFocusNode(id);
    setPendingFocus(id);
  };

  const onKey = (e: KeyboardEvent<SVGGElement>, n: LaidNode): void => {
    const keys: Record<string, Parameters<typeof navigate>[2]> = {
      ArrowUp: 'ArrowUp',
      ArrowDown: 'ArrowDown',
      Home: 'Home',
      End: 'End',
      ArrowLeft: 'ParentOrCollapse',
      ArrowRight: 'ChildOrExpand',
    };
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onChoose(n.id);
      return;
    }
    const k = keys[e.key];
    if (!k) return;
    e.preventDefault();
    const r = navigate(layout, n.id, k);
    if (r.toggle) setOverride(n.id, !n.expanded);
    if (r.move) move(r.move);
  };

  const percent = Math.round(view.scale * 100);
  return (
    <div
      ref={box}
      className="trie-scroll"
      data-testid="trie-viewport"
      tabIndex={0}
      role="group"
      aria-label="Trie drawing: + and − zoom, 0 fits it to the panel, arrow keys pan"
      aria-keyshortcuts="+ - 0 ArrowLeft ArrowRight ArrowUp ArrowDown"
      onKeyDown={onViewKey}
      onPointerDown={(e) => {
        if (e.button !== 0 || (e.target as Element).closest('[role="treeitem"], button')) return;
        drag.current = { x: e.clientX, y: e.clientY, view };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d) return;
        setUserView(panView(d.view, e.clientX - d.x, e.clientY - d.y));
        setFitted(false);
      }}
      onPointerUp={() => (drag.current = undefined)}
      onPointerCancel={() => (drag.current = undefined)}
    >
      <svg
        ref={svg}
        className="trie-svg"
        role="tree"
        aria-multiselectable="true"
        aria-label={`Prefix trie of ${refinementTitle(refinement)}`}
        width="100%"
        height="100%"
        data-testid="trie"
        data-nodes={layout.nodes.length}
        data-scale={view.scale.toFixed(3)}
        data-fitted={fitted}
      >
        <g data-testid="trie-content" transform={`translate(${view.x} ${view.y}) scale(${view.scale})`}>
          <g className="trie-links" aria-hidden="true">
            {layout.links.map(({ from, to }) => {
              const x0 = from.x + labelWidth(from.label, from.node.actions.length) + 30;
              const mid = (x0 + to.x) / 2;
              return (
                <path
                  key={to.id}
                  d={`M ${from.x + 8} ${from.y} H ${x0} C ${mid} ${from.y}, ${mid} ${to.y}, ${to.x - 9} ${to.y}`}
                  className={to.node.safe ? 'trie-link' : 'trie-link trie-link-unsafe'}
                />
              );
            })}
          </g>
          {layout.nodes.map((n) => {
            const text = n.label;
            const count = n.node.actions.length;
            const toggleX = 11 + labelWidth(text, count) + 6;
            const status = `${n.node.safe ? 'safe' : 'unsafe'}${n.node.chosen ? ', chosen' : ''}`;
            return (
              <g
                key={n.id}
                role="treeitem"
                className={`trie-node${n.id === current ? ' is-focused' : ''}`}
                data-testid="trie-node"
                data-id={n.id}
                data-safe={n.node.safe}
                data-chosen={n.node.chosen}
                data-expanded={n.hasChildren ? n.expanded : undefined}
                aria-level={n.depth + 1}
                aria-posinset={n.position}
                aria-setsize={n.siblings}
                aria-expanded={n.hasChildren ? n.expanded : undefined}
                aria-selected={n.node.chosen}
                aria-label={`${label(n.node)}: ${status}, ${count} action${count === 1 ? '' : 's'}, ${n.node.unusedCovered.length} unused`}
                tabIndex={n.id === current ? 0 : -1}
                transform={`translate(${n.x},${n.y})`}
                onClick={() => {
                  move(n.id);
                  onChoose(n.id);
                }}
                onFocus={() => onFocusNode(n.id)}
                onMouseEnter={() => onHover(n.id)}
                onMouseLeave={() => onHover(undefined)}
                onKeyDown={(e) => onKey(e, n)}
              >
                <title>{`${label(n.node)} — ${status}`}</title>
                <rect className="trie-hit" x={-10} y={-11} width={toggleX + 10} height={22} rx={4} />
                <NodeShape n={n} />
                <text className="trie-label" x={12} y={4}>
                  {text}
                  <tspan className="trie-count"> {count}</tspan>
                </text>
                {n.hasChildren && (
                  <g
                    className="trie-toggle"
                    data-testid="trie-toggle"
                    transform={`translate(${toggleX},0)`}
                    onClick={(e) => {
                      e.stopPropagation();
                      setOverride(n.id, !n.expanded);
                      move(n.id);
                    }}
                  >
                    <title>{n.expanded ? 'Collapse' : `Expand (${n.hidden} more nodes)`}</title>
                    <circle r={6.5} />
                    <path d={n.expanded ? 'M -3 0 H 3' : 'M -3 0 H 3 M 0 -3 V 3'} />
                  </g>
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <div className="trie-zoombar" role="toolbar" aria-label="Zoom">
        <button
          type="button"
          className="btn btn-small"
          aria-label="Zoom out"
          aria-keyshortcuts="-"
          title="Zoom out (−)"
          data-testid="trie-zoom-out"
          onClick={zoomOut}
        >
          −
        </button>
        <span className="small trie-zoom" data-testid="trie-zoom" aria-live="polite">
          {percent}%
        </span>
        <button
          type="button"
          className="btn btn-small"
          aria-label="Zoom in"
          aria-keyshortcuts="+"
          title="Zoom in (+)"
          data-testid="trie-zoom-in"
          onClick={zoomIn}
        >
          +
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-label="Fit to the panel"
          aria-keyshortcuts="0"
          title="Fit to the panel (0)"
          aria-pressed={fitted}
          data-testid="trie-fit"
          onClick={fit}
        >
          Fit
        </button>
      </div>
    </div>
  );
}

function NodeDetails({
  node,
  parent,
  refinement,
  onChoose,
  onSplit,
}: {
  node: TrieNode;
  parent: TrieNode | undefined;
  refinement: Refinement;
  onChoose: (id: string) => void;
  onSplit: (node: TrieNode) => void;
}) {
  const unused = new Set(node.unusedCovered.map((a) => a.toLowerCase()));
  const target = refinement.element === 'NotAction' ? 'excluded (unused)' : 'unused';
  return (
    <div className="trie-details" data-testid="trie-details" data-id={node.id}>
      <div className="trie-details-head">
        <strong className="mono">{label(node)}</strong>
        <span className={`tag ${node.safe ? 'tag-pass' : 'tag-unsafe'}`}>
          {node.safe ? '● safe' : '◆ unsafe'}
        </span>
        {node.chosen && <span className="tag tag-chosen">✓ chosen</span>}
      </div>
      <div className="small">
        Stands for <span className="mono">{node.emits.join(', ')}</span>
      </div>
      {!node.safe && (
        <div className="small rec-warn-text">Not safe: {unsafeWhy(node, refinement.element)}</div>
      )}
      <div className="trie-details-actions">
        {node.safe && !node.chosen && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="trie-choose"
            onClick={() => onChoose(node.id)}
          >
            Choose this
          </button>
        )}
        {node.chosen && node.children.length > 0 && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="trie-split"
            onClick={() => onSplit(node)}
          >
            More specific (its children)
          </button>
        )}
        {node.chosen && parent?.safe && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="trie-parent"
            onClick={() => onChoose(parent.id)}
          >
            More general ({label(parent)})
          </button>
        )}
      </div>
      <div className="small muted">
        {node.actions.length} action{node.actions.length === 1 ? '' : 's'} under it,{' '}
        {node.unusedCovered.length} {target}:
      </div>
      <ul className="trie-actions">
        {node.actions.slice(0, MAX_LISTED).map((a) => {
          const isUnused = unused.has(a.toLowerCase());
          return (
            <li key={a} className={isUnused ? 'is-unused' : ''} data-unused={isUnused}>
              <span className="mono">{a}</span>
              {isUnused && <span className="tag tag-unsafe">unused</span>}
            </li>
          );
        })}
        {node.actions.length > MAX_LISTED && (
          <li className="muted">… and {node.actions.length - MAX_LISTED} more</li>
        )}
      </ul>
    </div>
  );
}

export function TriePanel({ refinements, onChoose, onReset, customKeys }: TriePanelProps) {
  const [selectedKey, setSelectedKey] = useState<string>();
  const [expandAll, setExpandAll] = useState(false);
  // Expand / collapse by the user, per refinement key, over the default (ancestors of chosen nodes open).
  const [overrides, setOverrides] = useState<ReadonlyMap<string, ReadonlyMap<string, boolean>>>(new Map());
  const [focused, setFocused] = useState<string>();
  const [hovered, setHovered] = useState<string>();
  const [message, setMessage] = useState<{ text: string; tone: 'info' | 'warn' }>();

  const refinement = refinements.find((r) => r.key === selectedKey) ?? refinements[0];
  if (!refinement)
    return (
      <section className="panel rec-trie" data-testid="trie-panel">
        <h2>Prefix trie</h2>
        <p className="muted small" data-testid="trie-empty">
          No wildcard needs refining: every wildcard of the policy covers no unused action (explicitly listed
          unused actions are simply removed).
        </p>
      </section>
    );

  const key = refinement.key;
  const shownId = hovered ?? focused;
  const found = shownId ? pathTo(refinement.trie, shownId) : undefined;
  const detailNode = found?.at(-1) ?? refinement.trie;
  const detailParent = found && found.length > 1 ? found[found.length - 2] : undefined;

  const choose = (id: string): void => {
    const err = onChoose(key, id);
    const node = pathTo(refinement.trie, id)?.at(-1);
    setMessage(
      err
        ? { text: err, tone: 'warn' }
        : node?.chosen
          ? { text: `${label(node)} is already chosen.`, tone: 'info' }
          : { text: `Chose ${node ? label(node) : id}; the policy and its proof update.`, tone: 'info' },
    );
  };
  const split = (node: TrieNode): void => {
    const first = node.children[0];
    if (first) choose(first.id);
  };

  return (
    <section className="panel rec-trie" data-testid="trie-panel" aria-label="Prefix trie">
      <h2>
        Prefix trie
        {refinements.length > 1 && (
          <select
            className="trie-select"
            data-testid="trie-refinement"
            aria-label="Refined wildcard"
            value={key}
            onChange={(e) => {
              setSelectedKey(e.target.value);
              setFocused(undefined);
            }}
          >
            {refinements.map((r) => (
              <option key={r.key} value={r.key}>
                {refinementTitle(r)}
              </option>
            ))}
          </select>
        )}
        {refinements.length === 1 && <span className="mono trie-title">{refinementTitle(refinement)}</span>}
      </h2>
      <div className="trie-toolbar">
        <span className="trie-legend" aria-label="Legend">
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5.5" className="legend-safe" />
          </svg>
          safe
          <svg width="14" height="14" aria-hidden="true">
            <rect x="3" y="3" width="8" height="8" transform="rotate(45 7 7)" className="legend-unsafe" />
          </svg>
          unsafe
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="6" className="legend-chosen" />
            <path d="M 4 7 L 6 9 L 10 5" className="legend-check" />
          </svg>
          chosen
        </span>
        <span className="grow" />
        <button
          type="button"
          className="btn btn-small"
          data-testid="trie-expand-all"
          aria-pressed={expandAll}
          onClick={() => {
            setExpandAll((v) => !v);
            setOverrides(new Map());
          }}
        >
          {expandAll ? 'Collapse' : 'Expand all'}
        </button>
        {customKeys.has(key) && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="trie-reset"
            onClick={() => onReset(key)}
            title="Back to the least general cover of this wildcard"
          >
            Reset
          </button>
        )}
      </div>
      <TrieSvg
        key={key}
        refinement={refinement}
        onChoose={choose}
        onFocusNode={setFocused}
        onHover={setHovered}
        focusedId={focused}
        expandAll={expandAll}
        overrides={overrides.get(key) ?? NO_OVERRIDES}
        setOverride={(id, open) =>
          setOverrides((all) => {
            const mine = new Map(all.get(key) ?? NO_OVERRIDES);
            mine.set(id, open);
            return new Map(all).set(key, mine);
          })
        }
      />
      <p
        className={`trie-message small${message?.tone === 'warn' ? ' rec-warn-text' : ''}`}
        aria-live="polite"
        data-testid="trie-message"
      >
        {message?.text ??
          'Click a node (or Enter) to choose it · ↑↓ move · → expand · ← collapse · + − 0 zoom'}
      </p>
      <NodeDetails
        node={detailNode}
        parent={detailParent}
        refinement={refinement}
        onChoose={choose}
        onSplit={split}
      />
    </section>
  );
}
