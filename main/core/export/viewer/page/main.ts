import { aboutSection } from './about';
import { checkSection } from './check';
import { custodySection } from './custody';
import { readData } from './data';
import { add, h, visible, type Kid } from './dom';
import { exhibitsSection } from './exhibits';
import { overview } from './overview';
import { peopleSection } from './people';
import { scheduleSection } from './schedule';
import { reviewPanel } from './review';
import { timelineSection } from './timeline';
import type { ViewerData } from './viewer-data';

/**
 * The viewer page's script: the entry point that build/viewer-page.ts bundles into the one
 * inline script of data/viewer/index.html (allowed by its hash in the page's CSP).
 */

const app = document.getElementById('app')!;
try {
  start(readData(document));
} catch (e) {
  // A damaged page says so, and where else to look, rather than staying blank.
  add(app, [
    h('p', { class: 'callout' }, [
      'This page could not show the bundle (',
      visible((e as Error | null)?.message ?? 'error'),
      '). Read data/report/report.pdf instead, and check the files with the steps in VERIFY.txt in the bundle folder.',
    ]),
  ]);
}

function start(data: ViewerData): void {
  const exhibitIndex = new Map<string, number>();
  data.exhibits.forEach((x, i) => exhibitIndex.set(x.number, i));
  function exhibitLink(number: string): Kid {
    const i = exhibitIndex.get(number);
    if (i === undefined) return visible(number);
    return h('a', { href: '#exhibit-' + i }, visible(number));
  }

  add(app, overview(data, document.getElementById('lede')));
  // "Choose the bundle folder" on an exhibit: to the picker of the file check.
  function chooseFolder(): void {
    document.getElementById('check')?.scrollIntoView({ block: 'start' });
    document.getElementById('pick')?.focus();
  }
  const review = reviewPanel(data, chooseFolder);
  const exhibits = exhibitsSection(data, exhibitLink, chooseFolder, review.exhibitControls);
  const check = checkSection(data, {
    exhibitLink,
    onExhibitStatus: (i, s) => exhibits.setStatus(i, s),
    onExhibitFile: (i, x, file, s) => exhibits.showFile(i, x, file, s),
    onFolder: (files) => review.folderChosen(files),
  });
  add(app, check.element);
  add(app, review.element);
  add(app, exhibits.element);
  if (data.schedule) add(app, scheduleSection(data.schedule, exhibitLink));
  add(app, timelineSection(data, exhibitLink));
  add(app, peopleSection(data, exhibitLink));
  add(app, custodySection(data));
  add(app, aboutSection(data));
  add(
    document.body,
    h(
      'footer',
      null,
      'Made with ' +
        visible(data.software.name + ' ' + data.software.version) +
        '. This page works offline and sends nothing anywhere.',
    ),
  );
  check.reset();
}
