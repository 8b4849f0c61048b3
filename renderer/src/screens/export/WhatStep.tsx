import { dateText } from '../../format';
import type { Incident } from '../../stores/cases';
import { ChosenMessagesOfStore } from './ChosenMessages';
import { countText, itemCount, type Catalogue, type Draft, type Scope } from './wizard';

interface Props {
  draft: Draft;
  catalogue: Catalogue;
  /** The same incidents as in the catalogue, with what is needed to name them. */
  incidents: Incident[];
  onChange(patch: Partial<Draft>): void;
}

/**
 * Step 1: everything, some tags, some incidents, the items picked in the library, or just the
 * messages chosen in conversations; those messages go with any choice, listed below it.
 */
export function WhatStep({ draft, catalogue, incidents, onChange }: Props) {
  const noTags = catalogue.tags.length === 0;
  const noIncidents = catalogue.incidents.length === 0;
  const noSelection = catalogue.selected.size === 0;
  const chosen = catalogue.chosen.length;
  const conversations = new Set(catalogue.chosen.map((m) => m.conversationId)).size;
  const count = itemCount(draft, catalogue);

  const toggle = (list: string[], value: string): string[] =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  return (
    <>
      <fieldset className="choices">
        <legend>What to export</legend>
        <Choice
          scope="all"
          label="Everything"
          hint={
            catalogue.total === null
              ? 'Every item in your vault.'
              : `Every item in your vault (${countText({ count: catalogue.total, exact: true })}).`
          }
          draft={draft}
          onChange={onChange}
        />
        <Choice
          scope="tags"
          label="By tag"
          hint={
            noTags
              ? 'None of your items has a tag yet, so this is not available.'
              : 'Items with any of the tags you choose.'
          }
          disabled={noTags}
          draft={draft}
          onChange={onChange}
        />
        {draft.scope === 'tags' && !noTags && (
          <fieldset className="sub-choices">
            <legend>Tags</legend>
            {catalogue.tags.map((t) => (
              <label key={t.name} className="check">
                <input
                  type="checkbox"
                  checked={draft.tags.includes(t.name)}
                  onChange={() => onChange({ tags: toggle(draft.tags, t.name) })}
                />
                {t.name} <span className="count">({t.count})</span>
              </label>
            ))}
          </fieldset>
        )}
        <Choice
          scope="incidents"
          label="By incident"
          hint={
            noIncidents
              ? 'You have not recorded any incidents yet, so this is not available.'
              : 'The items linked to the incidents you choose.'
          }
          disabled={noIncidents}
          draft={draft}
          onChange={onChange}
        />
        {draft.scope === 'incidents' && !noIncidents && (
          <fieldset className="sub-choices">
            <legend>Incidents</legend>
            {incidents.map((inc) => (
              <label key={inc.id} className="check">
                <input
                  type="checkbox"
                  checked={draft.incidentIds.includes(inc.id)}
                  onChange={() => onChange({ incidentIds: toggle(draft.incidentIds, inc.id) })}
                />
                {incidentLabel(inc)}{' '}
                <span className="count">
                  ({inc.itemIds.length} item{inc.itemIds.length === 1 ? '' : 's'})
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <Choice
          scope="selected"
          label="Selected items"
          hint={
            noSelection
              ? 'Nothing is selected in the library. To use this, go to the Library and tick the items you want first.'
              : `The ${countText({ count: catalogue.selected.size, exact: true })} you selected in the library.`
          }
          disabled={noSelection}
          draft={draft}
          onChange={onChange}
        />
        <Choice
          scope="messages"
          label="Chosen messages only"
          hint={
            chosen === 0
              ? 'No messages are chosen. To use this, select messages in a conversation and choose “Export these messages…” first.'
              : `The ${chosen.toLocaleString('en-GB')} message${chosen === 1 ? '' : 's'} listed below, with ${conversations === 1 ? 'their conversation' : `their ${conversations} conversations`} (the export file${conversations === 1 ? '' : 's'} they were read from) as the exhibit${conversations === 1 ? '' : 's'}. As with any exhibit, incidents linked to ${conversations === 1 ? 'it' : 'them'} come too.`
          }
          disabled={chosen === 0}
          draft={draft}
          onChange={onChange}
        />
      </fieldset>
      <fieldset className="choices" id="bundle-kind">
        <legend>Kind of bundle</legend>
        <div className="choice">
          <input
            type="radio"
            name="bundle-kind"
            id="kind-full"
            checked={!draft.disclosure}
            aria-describedby="kind-full-hint"
            onChange={() => onChange({ disclosure: false })}
          />
          <label htmlFor="kind-full">The evidence as it is</label>
          <p id="kind-full-hint" className="hint">
            The original files, unchanged: for your own solicitor or the police.
          </p>
        </div>
        <div className="choice">
          <input
            type="radio"
            name="bundle-kind"
            id="kind-disclosure"
            checked={draft.disclosure}
            aria-describedby="kind-disclosure-hint"
            onChange={() => onChange({ disclosure: true })}
          />
          <label htmlFor="kind-disclosure">Export for disclosure</label>
          <p id="kind-disclosure-hint" className="hint">
            For people you must not expose yourself to, such as the other side’s lawyer. Each item
            with a redacted copy or a copy without location goes out as that copy (the newest
            redacted copy, else the newest copy without location). Its original is withheld, and
            listed with its fingerprint in a redaction schedule, so a court can order it. The
            original’s notes, tags and marks stay in your vault: only the copy’s own go out.
          </p>
        </div>
      </fieldset>
      <ChosenMessagesOfStore />
      <p className="export-count" aria-live="polite">
        This export will contain <strong>{countText(count)}</strong>
        {chosen > 0 &&
          `, with ${chosen.toLocaleString('en-GB')} chosen message${chosen === 1 ? '' : 's'} in the transcript`}
        .
      </p>
    </>
  );
}

function Choice(props: {
  scope: Scope;
  label: string;
  hint: string;
  disabled?: boolean;
  draft: Draft;
  onChange(patch: Partial<Draft>): void;
}) {
  const id = `scope-${props.scope}`;
  return (
    <div className="choice">
      <input
        type="radio"
        name="scope"
        id={id}
        value={props.scope}
        checked={props.draft.scope === props.scope}
        disabled={props.disabled}
        aria-describedby={`${id}-hint`}
        onChange={() => props.onChange({ scope: props.scope })}
      />
      <label htmlFor={id}>{props.label}</label>
      <p id={`${id}-hint`} className="hint">
        {props.hint}
      </p>
    </div>
  );
}

export function incidentLabel(inc: Pick<Incident, 'occurredAt' | 'place' | 'summary'>): string {
  const what = inc.place.trim() || inc.summary.trim().slice(0, 60) || 'Incident';
  return `${dateText(inc.occurredAt)}: ${what}`;
}
