import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useCases } from '../../stores/cases';
import { useExportChoice } from '../../stores/export-choice';
import { useJobs } from '../../stores/jobs';
import { useLibrary } from '../../stores/library';
import { useSelection } from '../../stores/selection';
import { DetailsStep } from './DetailsStep';
import { PlaceStep } from './PlaceStep';
import { ProgressStep } from './ProgressStep';
import { ResultStep } from './ResultStep';
import { StepIndicator } from './StepIndicator';
import { WhatStep } from './WhatStep';
import { ReviewImport } from '../review/ReviewImport';
import {
  EMPTY_DRAFT,
  STEPS,
  exportArgs,
  stepProblem,
  type Catalogue,
  type Draft,
  type FormStep,
} from './wizard';

/**
 * Export evidence, one step at a time: what, the details printed on it, the format and
 * folder, then the export's progress and the bundle checked again from the disk. The first
 * three steps are this screen's own; the last two follow the export job in the store, so
 * leaving and coming back during an export shows it still running.
 */
export function ExportScreen() {
  const job = useJobs((s) => s.exportJob);
  const startExport = useJobs((s) => s.startExport);
  const dismissExport = useJobs((s) => s.dismissExport);
  const facets = useLibrary((s) => s.facets);
  const loadFacets = useLibrary((s) => s.loadFacets);
  const incidents = useCases((s) => s.incidents);
  const loadCases = useCases((s) => s.load);
  const selected = useSelection((s) => s.selected);
  const chosen = useExportChoice((s) => s.messages);
  const opening = useExportChoice((s) => s.opening);
  const wizardOpened = useExportChoice((s) => s.wizardOpened);

  // With messages chosen, the wizard starts on them (after visiting another screen too).
  const [draft, setDraft] = useState<Draft>(() =>
    useExportChoice.getState().messages.length > 0
      ? { ...EMPTY_DRAFT, scope: 'messages' }
      : EMPTY_DRAFT,
  );
  const [step, setStep] = useState<FormStep>(1);
  const [problem, setProblem] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    void loadFacets();
    void loadCases();
  }, [loadFacets, loadCases]);

  const catalogue: Catalogue = {
    total: facets?.total ?? null,
    tags: facets?.tags ?? [],
    incidents,
    selected,
    chosen,
  };

  // 4: exporting, checking, or stopped; 5: done (or written but the check could not run).
  const current = job
    ? job.state === 'done' || (job.state === 'failed' && job.result)
      ? 5
      : 4
    : step;

  // Each new step's heading takes the focus, so keyboard and screen reader users start there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [current]);

  // "Export these messages…" in a conversation: back to the first step, on those messages, with
  // the focus on its heading (after the closing conversation has given the focus back).
  useEffect(() => {
    if (!opening) return;
    wizardOpened();
    setDraft((d) => ({ ...d, scope: 'messages' }));
    setStep(1);
    setProblem(null);
    // Not cleared when `opening` goes back to false just below (that would drop it).
    setTimeout(() => heading.current?.focus(), 0);
  }, [opening, wizardOpened]);

  const update = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setProblem(null);
  };

  const next = (e: FormEvent) => {
    e.preventDefault();
    if (current > 3) return;
    const why = stepProblem(step, draft, catalogue);
    setProblem(why);
    if (why) return;
    if (step < 3) setStep((step + 1) as FormStep);
    else {
      const args = exportArgs(draft, selected, chosen);
      // Once the bundle is written, the messages in it are no longer waiting to be exported.
      void startExport(args).then(() => {
        if (useJobs.getState().exportJob?.result) {
          useExportChoice.getState().forget(args.messageIds ?? []);
        }
      });
    }
  };

  const back = () => {
    setProblem(null);
    if (step > 1) setStep((step - 1) as FormStep);
  };

  /** After a failure or a cancel: back to the last step, with every choice kept. */
  const retry = () => {
    dismissExport();
    setStep(3);
  };

  /** After a finished export: a fresh wizard (the passphrase is not kept). */
  const startAgain = () => {
    dismissExport();
    setDraft((d) => ({ ...EMPTY_DRAFT, exhibitPrefix: d.exhibitPrefix, exporter: d.exporter }));
    setStep(1);
  };

  return (
    <section className="export-wizard" aria-labelledby="export-title">
      <h1 id="export-title">Export evidence</h1>
      <StepIndicator current={current} />
      <div className="wizard-body">
        <h2 ref={heading} tabIndex={-1} className="step-title">
          Step {current} of {STEPS.length}: {STEPS[current - 1]}
        </h2>
        {current <= 3 && (
          <form onSubmit={next} noValidate>
            {current === 1 && (
              <WhatStep
                draft={draft}
                catalogue={catalogue}
                incidents={incidents}
                onChange={update}
              />
            )}
            {current === 2 && <DetailsStep draft={draft} onChange={update} />}
            {current === 3 && <PlaceStep draft={draft} catalogue={catalogue} onChange={update} />}
            {problem && (
              <p className="error" role="alert" id="step-problem">
                {problem}
              </p>
            )}
            <div className="wizard-actions">
              {current > 1 && (
                <button type="button" className="secondary" onClick={back}>
                  Back
                </button>
              )}
              <button type="submit">{current === 3 ? 'Start export' : 'Next'}</button>
            </div>
          </form>
        )}
        {current === 4 && job && <ProgressStep job={job} onBack={retry} />}
        {current === 5 && job && <ResultStep job={job} onNewExport={startAgain} />}
      </div>
      {/* What comes back from the adviser a bundle was sent to. */}
      <ReviewImport />
    </section>
  );
}
