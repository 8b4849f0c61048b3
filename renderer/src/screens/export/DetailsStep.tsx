import { EXHIBIT_STYLES, exhibitLabel } from '../../../../shared/exhibit-prefix';
import { NAME_MAX, PREFIX_MAX, exhibitExample, prefixProblem, type Draft } from './wizard';

/** Step 2: what is printed on the bundle: exhibit numbers, the case, who exported it. */
export function DetailsStep({
  draft,
  onChange,
}: {
  draft: Draft;
  onChange(patch: Partial<Draft>): void;
}) {
  const example = exhibitExample(draft.exhibitPrefix, draft.exhibitStyle);
  // Said as soon as it is typed, not only when Next is pressed.
  const prefixError = prefixProblem(draft.exhibitPrefix, draft.exhibitStyle);
  return (
    <>
      <div className="field">
        <label htmlFor="exhibit-prefix">Exhibit prefix</label>
        <input
          id="exhibit-prefix"
          className="short"
          value={draft.exhibitPrefix}
          maxLength={PREFIX_MAX}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={prefixError ? true : undefined}
          aria-describedby={
            prefixError ? 'exhibit-prefix-error exhibit-prefix-hint' : 'exhibit-prefix-hint'
          }
          onChange={(e) => onChange({ exhibitPrefix: e.target.value })}
        />
        {prefixError && (
          <p className="error" id="exhibit-prefix-error">
            {prefixError}
          </p>
        )}
        <p id="exhibit-prefix-hint" className="hint">
          Exhibits will be labelled {example.numbers} in the report, and their files named{' '}
          {example.files} Solicitors usually use the initials of the person the evidence belongs to.
          Letters and digits only.
        </p>
      </div>
      <fieldset className="choices">
        <legend>Exhibit labels</legend>
        {EXHIBIT_STYLES.map((style) => {
          const id = `exhibit-style-${style === 'JD1' ? 'joined' : 'slash'}`;
          return (
            <div className="choice" key={style}>
              <input
                type="radio"
                name="exhibit-style"
                id={id}
                value={style}
                checked={draft.exhibitStyle === style}
                onChange={() => onChange({ exhibitStyle: style })}
              />
              <label htmlFor={id}>
                {exhibitLabel(draft.exhibitPrefix.trim() || 'JD', 1, style)}
                {style === 'JD1' ? ' (as courts in England and Wales expect)' : ''}
              </label>
            </div>
          );
        })}
      </fieldset>
      <div className="field">
        <label htmlFor="case-name">Case name</label>
        <input
          id="case-name"
          value={draft.caseName}
          maxLength={NAME_MAX}
          autoComplete="off"
          aria-describedby="case-name-hint"
          onChange={(e) => onChange({ caseName: e.target.value })}
        />
        <p id="case-name-hint" className="hint">
          Optional. Printed on the report and used to name the bundle, for example “Harassment by
          neighbour, 2026”.
        </p>
      </div>
      <div className="field">
        <label htmlFor="exporter">Your name</label>
        <input
          id="exporter"
          value={draft.exporter}
          maxLength={NAME_MAX}
          autoComplete="name"
          aria-describedby="exporter-hint"
          onChange={(e) => onChange({ exporter: e.target.value })}
        />
        <p id="exporter-hint" className="hint">
          Optional. Printed on the report as the person who made this export.
        </p>
      </div>
    </>
  );
}
