import { displayName } from '../../../../shared/display-name';
import { dateText } from '../../format';
import type { Incident, Person } from '../../stores/cases';

const ROLES: Record<string, string> = {
  harasser: 'alleged harasser',
  witness: 'witness',
  official: 'official',
  other: 'other',
};

/** Incidents and people this item is linked to. Linking is done from the Incidents screen. */
export function Links(props: {
  incidentIds: string[];
  personIds: string[];
  incidents: Incident[];
  people: Person[];
}) {
  const incidents = props.incidentIds.map((id) => ({
    id,
    incident: props.incidents.find((i) => i.id === id),
  }));
  const people = props.personIds.map((id) => ({
    id,
    person: props.people.find((p) => p.id === id),
  }));
  return (
    <section className="item-section" aria-labelledby="item-links-title">
      <h2 id="item-links-title">Incidents and people</h2>
      {incidents.length === 0 && people.length === 0 && (
        <p className="hint">
          Not linked to any incident or person yet. You can link it from the Incidents screen.
        </p>
      )}
      {incidents.length > 0 && (
        <>
          <h3>Incidents</h3>
          <ul className="plain-list">
            {incidents.map(({ id, incident }) => (
              <li key={id}>
                {incident
                  ? `${dateText(incident.occurredAt)}: ${displayName(incident.place || incident.summary.slice(0, 80) || 'Incident')}`
                  : 'An incident (details not loaded)'}
              </li>
            ))}
          </ul>
        </>
      )}
      {people.length > 0 && (
        <>
          <h3>People</h3>
          <ul className="plain-list">
            {people.map(({ id, person }) => (
              <li key={id}>
                {person
                  ? `${displayName(person.name)} (${ROLES[person.role] ?? displayName(person.role)})`
                  : 'A person (details not loaded)'}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
