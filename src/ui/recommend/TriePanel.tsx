/**
 * The trie behind each refined wildcard, laid out by d3-hierarchy (layout.ts) and drawn as SVG.
 * Safe nodes are green circles, unsafe ones orange diamonds with "!", chosen ones filled with a check
 * mark; a node's + / − expands or collapses it. Clicking a node (or Enter / Space on it) chooses it;
 * hovering or focusing shows the actions under it. Keyboard: a WAI-ARIA tree with a roving tabindex.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Refinement, TrieNode } from '../../recommend/index.ts';
import { ancestorsOfChosen, label, pathTo, unsafeWhy } from './choose.ts';
import { labelWidth, layoutTrie, navigate, type LaidNode } from './layout.ts';

const NO_OVERRIDES: ReadonlyMap<string, boolean> = new Map();
const ZOOMS = [0.5, 0.65, 0.8, 1, 1.25, 1.5, 2];
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
  zoom,
  expandAll,
  overrides,
  setOverride,
}: {
  refinement: Refinement;
  onChoose: (id: string) => void;
  onFocusNode: (id: string) => void;
  onHover: (id: string | undefined) => void;
  focusedId: string | undefined;
  zoom: number;
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

  useEffect(() => {
    if (!pendingFocus) return;
    const el = svg.current?.querySelector<SVGGElement>(`[data-id="${CSS.escape(pendingFocus)}"]`);
    if (el) {
      el.focus();
      el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }, [pendingFocus, layout]);

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

  const w = layout.width;
  const h = layout.height;
  return (
    <svg
      ref={svg}
      className="trie-svg"
      role="tree"
      aria-multiselectable="true"
      aria-label={`Prefix trie of ${refinementTitle(refinement)}`}
      width={w * zoom}
      height={h * zoom}
      viewBox={`0 0 ${w} ${h}`}
      data-testid="trie"
      data-nodes={layout.nodes.length}
    >
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
    </svg>
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
  const [zoomIndex, setZoomIndex] = useState(ZOOMS.indexOf(1));
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
          aria-label="Zoom out"
          data-testid="trie-zoom-out"
          disabled={zoomIndex === 0}
          onClick={() => setZoomIndex((i) => Math.max(0, i - 1))}
        >
          −
        </button>
        <span className="small trie-zoom" data-testid="trie-zoom">
          {Math.round((ZOOMS[zoomIndex] ?? 1) * 100)}%
        </span>
        <button
          type="button"
          className="btn btn-small"
          aria-label="Zoom in"
          data-testid="trie-zoom-in"
          disabled={zoomIndex === ZOOMS.length - 1}
          onClick={() => setZoomIndex((i) => Math.min(ZOOMS.length - 1, i + 1))}
        >
          +
        </button>
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
      <div className="trie-scroll">
        <TrieSvg
          refinement={refinement}
          onChoose={choose}
          onFocusNode={setFocused}
          onHover={setHovered}
          focusedId={focused}
          zoom={ZOOMS[zoomIndex] ?? 1}
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
      </div>
      <p
        className={`trie-message small${message?.tone === 'warn' ? ' rec-warn-text' : ''}`}
        aria-live="polite"
        data-testid="trie-message"
      >
        {message?.text ?? 'Click a node (or Enter) to choose it · ↑↓ move · → expand · ← collapse'}
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
