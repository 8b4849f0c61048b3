import { displayName } from '../../../../shared/display-name';

// Line breaks, tabs and the other spacing controls: a snippet is read as one line of text.
const SPACING = /[\t\n\v\f\r\u0085\u2028\u2029]+/gu;

/**
 * A piece of a search snippet as shown: line breaks and tabs become spaces, and any other
 * control or bidirectional character is made visible (as displayName does for file names),
 * so text from evidence can neither hide words nor reorder the line.
 */
export function snippetText(text: string): string {
  return displayName(text.replace(SPACING, ' ').replace(/ {2,}/g, ' '));
}
