// Which typeface the report uses. PDF's 14 built-in fonts only cover Windows-1252, so names
// like "Łódź" or "زيد" need an embedded Unicode TrueType font. Dossier ships DejaVu (the npm
// package "dejavu-fonts-ttf", a dependency, under its own licence), so the same bundle gives
// the same PDF on every system. Should it be missing (a broken install), the system's DejaVu
// or Arial/Courier New are tried; without any, the built-in fonts are used and every other
// character is printed as [U+XXXX] (see text.ts), never dropped or garbled.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { winAnsi, type Supports } from './text';

export interface ReportFonts {
  /** Human name, for diagnostics. */
  name: string;
  regular: Buffer | 'Helvetica';
  bold: Buffer | 'Helvetica-Bold';
  /** Used only for hashes and other ASCII tokens. */
  mono: Buffer | 'Courier';
  /** Set once a TrueType font is open (fontkit knows its glyphs); WinAnsi for built-ins. */
  supports: Supports;
  embedded: boolean;
}

interface Candidate {
  name: string;
  regular: string[];
  bold: string[];
  mono: string[];
}

function candidates(): Candidate[] {
  const list: Candidate[] = [];
  // The shipped fonts win, so every platform prints the same typeface.
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
    list.push(dejavu(SHIPPED_FONTS_NAME, [join(pkg, 'ttf')]));
  } catch {
    // a broken install: fall back to the system's fonts
  }
  list.push(
    dejavu('DejaVu (system)', [
      '/usr/share/fonts/truetype/dejavu', // Debian, Ubuntu
      '/usr/share/fonts/dejavu-sans-fonts', // Fedora
      '/usr/share/fonts/dejavu', // older Fedora, openSUSE
      '/usr/share/fonts/TTF', // Arch
    ]),
  );
  const windir = process.env.WINDIR ?? process.env.SystemRoot ?? 'C:\\Windows';
  list.push({
    name: 'Arial (Windows)',
    regular: [join(windir, 'Fonts', 'arial.ttf')],
    bold: [join(windir, 'Fonts', 'arialbd.ttf')],
    mono: [join(windir, 'Fonts', 'cour.ttf')],
  });
  const mac = '/System/Library/Fonts/Supplemental';
  list.push({
    name: 'Arial (macOS)',
    regular: [`${mac}/Arial.ttf`, '/Library/Fonts/Arial.ttf'],
    bold: [`${mac}/Arial Bold.ttf`, '/Library/Fonts/Arial Bold.ttf'],
    mono: [`${mac}/Courier New.ttf`, '/Library/Fonts/Courier New.ttf'],
  });
  return list;
}

function dejavu(name: string, dirs: string[]): Candidate {
  const at = (file: string): string[] => [
    ...dirs.map((d) => join(d, file)),
    // Fedora keeps the mono face in its own folder.
    ...dirs.map((d) => join(d, '..', 'dejavu-sans-mono-fonts', file)),
  ];
  return {
    name,
    regular: at('DejaVuSans.ttf'),
    bold: at('DejaVuSans-Bold.ttf'),
    mono: at('DejaVuSansMono.ttf'),
  };
}

function firstReadable(paths: string[]): Buffer | null {
  for (const p of paths) {
    try {
      return readFileSync(p);
    } catch {
      // try the next
    }
  }
  return null;
}

export const BUILT_IN_FONTS: ReportFonts = {
  name: 'PDF built-in (Helvetica, Courier)',
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  mono: 'Courier',
  supports: winAnsi,
  embedded: false,
};

let cached: ReportFonts | undefined;

/** The shipped DejaVu's name in `findReportFonts().name`. */
export const SHIPPED_FONTS_NAME = 'DejaVu (npm)';

/** The first complete candidate set (regular and bold; mono falls back to Courier). */
export function findReportFonts(): ReportFonts {
  if (cached) return cached;
  cached = BUILT_IN_FONTS;
  for (const c of candidates()) {
    const regular = firstReadable(c.regular);
    const bold = regular && firstReadable(c.bold);
    if (!regular || !bold) continue;
    cached = {
      name: c.name,
      regular,
      bold,
      mono: firstReadable(c.mono) ?? 'Courier',
      supports: winAnsi, // replaced by the font's own cmap once opened
      embedded: true,
    };
    break;
  }
  return cached;
}
