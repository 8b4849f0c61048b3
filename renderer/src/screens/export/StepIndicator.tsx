import { STEPS } from './wizard';

/** Where the person is in the export: every step by name, done ones ticked, this one marked. */
export function StepIndicator({ current }: { current: number }) {
  return (
    <ol className="step-indicator" aria-label="Export steps">
      {STEPS.map((name, i) => {
        const n = i + 1;
        const state = n < current ? 'done' : n === current ? 'current' : 'todo';
        return (
          <li key={name} data-state={state} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="step-number" aria-hidden="true">
              {state === 'done' ? '✓' : n}
            </span>
            <span className="step-name">
              {name}
              {state === 'done' && <span className="visually-hidden"> (done)</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
