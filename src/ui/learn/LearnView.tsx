/**
 * Learn mode: the policy editor next to its formula, the question the selected check asks, the
 * SMT-LIB export, step-by-step evaluation, and guided lessons. Formula and JSON are linked both ways:
 * hovering a part of the formula highlights its JSON, the cursor in the JSON highlights its part.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Counterexample } from '../../checks/types.ts';
import type { Span } from '../../policy/model.ts';
import { parsePolicy } from '../../policy/parse.ts';
import { isDiffCheck, pickSnapshot, type CheckKind, type DocId } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import { nodesAt, notationRoots, policyNotation } from '../../teach/notation.ts';
import { formFromRequest, formToJson } from '../../teach/request-form.ts';
import { useExercises } from '../../state/exercises.ts';
import { ExerciseList } from './ExerciseList.tsx';
import { ExercisePanel } from './ExercisePanel.tsx';
import { FormulaView, type DocNotation } from './FormulaView.tsx';
import { LearnEditor } from './LearnEditor.tsx';
import { LESSONS, TRIE_LESSON, type LearnTab } from './lessons.ts';
import { QuestionPanel } from './QuestionPanel.tsx';
import { SmtPanel } from './SmtPanel.tsx';
import { StepPanel } from './StepPanel.tsx';
import { useCatalog } from '../useCatalog.ts';

const TABS: { id: LearnTab; label: string }[] = [
  { id: 'formula', label: 'Formula' },
  { id: 'question', label: 'Question' },
  { id: 'steps', label: 'Step by step' },
  { id: 'exercise', label: 'Exercise' },
  { id: 'smt', label: 'SMT-LIB' },
];

/** The documents a check shows, with the names its question gives them. */
function docsFor(check: CheckKind): { doc: DocId; name: string; label: string }[] {
  if (check === 'ComparePolicies')
    return [
      { doc: 'existing', name: 'PA', label: 'policy A' },
      { doc: 'new', name: 'PB', label: 'policy B' },
    ];
  if (isDiffCheck(check))
    return [
      { doc: 'existing', name: 'Pold', label: 'existing policy' },
      { doc: 'new', name: 'Pnew', label: 'new policy' },
    ];
  return [{ doc: 'policy', name: 'P', label: 'policy' }];
}

/** Lesson text with `code` in backticks. */
function LessonText({ text }: { text: string }) {
  return (
    <p>
      {text
        .split('`')
        .map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <span key={i}>{part}</span>))}
    </p>
  );
}

function Lessons({ onOpen }: { onOpen: (tab: LearnTab, stepDoc?: DocId) => void }) {
  const current = useStore((s) => s.lesson);
  const load = useStore((s) => s.loadSnapshot);
  const lesson = LESSONS.find((l) => l.id === current);
  return (
    <aside className="learn-lessons" aria-label="Lessons">
      <section className="panel">
        <h2>Lessons</h2>
        <ol className="lesson-list">
          {LESSONS.map((l, i) => (
            <li key={l.id}>
              <button
                type="button"
                className={`lesson${current === l.id ? ' is-selected' : ''}`}
                data-testid={`lesson-${l.id}`}
                aria-current={current === l.id ? 'true' : undefined}
                onClick={() => {
                  load(l.apply(pickSnapshot(useStore.getState())));
                  onOpen(l.tab, l.stepDoc);
                }}
              >
                <span className="lesson-no">{i + 1}</span> {l.title}
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="lesson"
              data-testid={`lesson-${TRIE_LESSON.id}`}
              title="Opens the Least privilege mode"
              onClick={() => load(TRIE_LESSON.apply(pickSnapshot(useStore.getState())))}
            >
              <span className="lesson-no">{LESSONS.length + 1}</span> {TRIE_LESSON.title} ↗
            </button>
          </li>
        </ol>
      </section>
      <ExerciseList onOpen={() => onOpen('exercise')} />
      <section className="panel lesson-text" data-testid="lesson-text">
        {lesson ? (
          <>
            <h3>{lesson.title}</h3>
            {lesson.text.map((t, i) => (
              <LessonText key={i} text={t} />
            ))}
          </>
        ) : (
          <>
            <h3>How to read this view</h3>
            <p>
              Pick a lesson, or edit the policy: the formula follows as you type. A check asks Z3 whether some
              request breaks a property; a solution (sat) is that request, no solution (unsat) is a proof for
              every request.
            </p>
            <p className="muted small">{TRIE_LESSON.text[0]}</p>
          </>
        )}
      </section>
    </aside>
  );
}

export function LearnView() {
  const check = useStore((s) => s.check);
  const texts = useStore((s) => s.docs);
  const lessonId = useStore((s) => s.lesson);
  const setSettings = useStore((s) => s.setSettings);
  const { catalog, error: catalogError } = useCatalog();

  const [tab, setTab] = useState<LearnTab>(
    () =>
      LESSONS.find((l) => l.id === lessonId)?.tab ??
      (useExercises.getState().progress.current || useExercises.getState().linkError
        ? 'exercise'
        : 'formula'),
  );
  // An exercise opened from outside the list (a link while the view is open) shows its tab.
  useEffect(
    () =>
      useExercises.subscribe((s, prev) => {
        const opened = s.progress.current && s.progress.current !== prev.progress.current;
        if (opened || (s.linkError && s.linkError !== prev.linkError)) setTab('exercise');
      }),
    [],
  );
  const shown = useMemo(() => docsFor(check), [check]);
  const [stepDocChoice, setStepDoc] = useState<DocId>(
    () => LESSONS.find((l) => l.id === lessonId)?.stepDoc ?? 'new',
  );
  const stepDoc = shown.some((d) => d.doc === stepDocChoice) ? stepDocChoice : shown[shown.length - 1]!.doc;

  const [hover, setHover] = useState<{ doc: DocId; spans: Span[] } | undefined>();
  const [cursor, setCursor] = useState<{ doc: DocId; offset: number } | undefined>();
  const [stepSpan, setStepSpan] = useState<{ doc: DocId; span: Span } | undefined>();

  const notations: DocNotation[] = useMemo(
    () =>
      shown.map((d) => {
        const parsed = parsePolicy(texts[d.doc]);
        if (!parsed.ok)
          return {
            ...d,
            error: `The ${d.label} does not parse: ${parsed.findings.find((f) => f.findingType === 'ERROR')?.findingDetails ?? 'invalid'}`,
          };
        const isMultiValued = (k: string) =>
          catalog?.conditionKey(k) ? catalog.isMultiValued(k) : undefined;
        return { ...d, notation: policyNotation(parsed.policy, { doc: d.doc, isMultiValued }) };
      }),
    [shown, texts, catalog],
  );

  const active = useMemo(() => {
    if (!cursor) return undefined;
    const n = notations.find((d) => d.doc === cursor.doc)?.notation;
    if (!n) return undefined;
    return { doc: cursor.doc, ids: new Set(nodesAt(notationRoots(n), cursor.offset).map((x) => x.id)) };
  }, [cursor, notations]);

  const onOffset = useCallback((doc: DocId, offset: number | undefined) => {
    setCursor((c) =>
      offset === undefined
        ? c?.doc === doc
          ? undefined
          : c
        : c?.doc === doc && c.offset === offset
          ? c
          : { doc, offset },
    );
  }, []);
  const onHover = useCallback((doc: DocId, spans: Span[] | undefined) => {
    setHover((h) => (spans ? { doc, spans } : h?.doc === doc ? undefined : h));
  }, []);
  const onStepSpan = useCallback((doc: DocId, span: Span | undefined) => {
    setStepSpan((s) => (span ? { doc, span } : s?.doc === doc ? undefined : s));
  }, []);

  const open = useCallback((t: LearnTab, doc?: DocId) => {
    setTab(t);
    if (doc) setStepDoc(doc);
  }, []);
  const stepThrough = useCallback(
    (cx: Counterexample, doc?: DocId) => {
      setSettings({ learnRequest: formToJson(formFromRequest(cx.request)) });
      open('steps', doc);
    },
    [setSettings, open],
  );

  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : undefined;
    if (next === undefined) return;
    const t = TABS[(next + TABS.length) % TABS.length]!;
    setTab(t.id);
    tabRefs.current[TABS.indexOf(t)]?.focus();
    e.preventDefault();
  };

  return (
    <main className="learn-main" data-testid="learn-view">
      <Lessons onOpen={open} />
      <section className={`learn-editors${shown.length > 1 ? ' two' : ''}`} aria-label="Policy JSON">
        {shown.map((d) => (
          <LearnEditor
            key={d.doc}
            doc={d.doc}
            label={shown.length > 1 ? `${d.name} · ${d.label}` : 'Policy'}
            linkSpans={hover?.doc === d.doc ? hover.spans : undefined}
            stepSpan={tab === 'steps' && stepSpan?.doc === d.doc ? stepSpan.span : undefined}
            onOffset={onOffset}
          />
        ))}
      </section>
      <section className="learn-panel panel">
        <div className="learn-tabs" role="tablist" aria-label="Learn" onKeyDown={onTabKey}>
          {TABS.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`learn-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls="learn-tabpanel"
              tabIndex={tab === t.id ? 0 : -1}
              className={`learn-tab${tab === t.id ? ' active' : ''}`}
              data-testid={`learn-tab-${t.id}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div
          className="learn-tabpanel"
          id="learn-tabpanel"
          role="tabpanel"
          aria-labelledby={`learn-tab-${tab}`}
        >
          {tab === 'formula' && <FormulaView docs={notations} active={active} onHover={onHover} />}
          {tab === 'question' && <QuestionPanel onStep={stepThrough} />}
          {tab === 'steps' && (
            <StepPanel
              docs={shown.map((d) => d.doc)}
              doc={stepDoc}
              setDoc={setStepDoc}
              catalog={catalog}
              onStepSpan={onStepSpan}
            />
          )}
          {tab === 'smt' && <SmtPanel catalog={catalog} catalogError={catalogError} />}
          {tab === 'exercise' && <ExercisePanel onStep={stepThrough} />}
        </div>
      </section>
    </main>
  );
}
