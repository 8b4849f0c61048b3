import { passphraseStrength, type Strength } from '../../../shared/passphrase-strength';

/** The plain-words judgement of a new passphrase, as a meter and a sentence of advice. */
export function StrengthMeter({
  passphrase,
  adviceId,
  label = 'Passphrase strength',
  advice = (s) => s.advice,
}: {
  passphrase: string;
  /** The advice's id, for the passphrase field's aria-describedby. */
  adviceId: string;
  label?: string;
  /** The sentence after the judgement; by default the advice for a vault passphrase. */
  advice?: (strength: Strength) => string;
}) {
  const strength = passphraseStrength(passphrase);
  return (
    <div className="strength" data-score={strength.score}>
      <meter
        min={0}
        max={4}
        low={2}
        high={3}
        optimum={4}
        value={strength.score}
        aria-label={label}
        aria-valuetext={strength.label}
      />
      <p id={adviceId}>
        <strong>{strength.label}.</strong> {advice(strength)}
      </p>
    </div>
  );
}
