/**
 * The viewer page's own script, as source text: it is inlined into index.html and allowed
 * by its SHA-256 in the page's CSP. Plain ES2019 (no ?. or ??) so older browsers run it;
 * no backticks or "${" (this is a template string). Untrusted text only ever reaches the
 * DOM through text nodes and attribute values; nothing is parsed as HTML.
 */

/**
 * SHA-256 in plain JS, used when WebCrypto is missing or a file is too big to read into
 * memory at once (WebCrypto's digest has no streaming API). Tested against node:crypto.
 */
export const SHA256_SCRIPT = String.raw`
var SHA256_K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]);
function Sha256() {
  this.h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  this.w = new Int32Array(64);
  this.buf = new Uint8Array(64);
  this.n = 0;
  this.len = 0;
}
Sha256.prototype.block = function (b, o) {
  var w = this.w, h = this.h, K = SHA256_K, i, x, y, t1, t2;
  for (i = 0; i < 16; i++, o += 4) w[i] = (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  for (i = 16; i < 64; i++) {
    x = w[i - 15];
    y = w[i - 2];
    w[i] = (w[i - 16] + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
      w[i - 7] + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) | 0;
  }
  var a = h[0], c1 = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (i = 0; i < 64; i++) {
    t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
      ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
      ((a & c1) ^ (a & c) ^ (c1 & c))) | 0;
    k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = c1; c1 = a; a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0; h[1] = (h[1] + c1) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
};
Sha256.prototype.update = function (data) {
  var i = 0, n = data.length;
  this.len += n;
  if (this.n > 0) {
    while (this.n < 64 && i < n) this.buf[this.n++] = data[i++];
    if (this.n < 64) return this;
    this.block(this.buf, 0);
    this.n = 0;
  }
  for (; i + 64 <= n; i += 64) this.block(data, i);
  while (i < n) this.buf[this.n++] = data[i++];
  return this;
};
Sha256.prototype.hex = function () {
  var len = this.len;
  var pad = new Uint8Array((this.n < 56 ? 64 : 128) - this.n);
  var hi = Math.floor(len / 0x20000000), lo = (len * 8) >>> 0, p = pad.length - 8, i, out = '';
  pad[0] = 0x80;
  pad[p] = hi >>> 24; pad[p + 1] = hi >>> 16; pad[p + 2] = hi >>> 8; pad[p + 3] = hi;
  pad[p + 4] = lo >>> 24; pad[p + 5] = lo >>> 16; pad[p + 6] = lo >>> 8; pad[p + 7] = lo;
  this.update(pad);
  for (i = 0; i < 8; i++) out += ('0000000' + (this.h[i] >>> 0).toString(16)).slice(-8);
  return out;
};
`;

const MAIN_SCRIPT = String.raw`
var DATA = JSON.parse(document.getElementById('dossier-data').textContent);
var app = document.getElementById('app');

// Control, bidi and line-separator characters are shown as \u{...} so a name cannot hide
// its real extension or reorder the text around it. Notes keep their tabs and newlines.
var UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
var UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
function esc(c) { return '\\u{' + ('000' + c.charCodeAt(0).toString(16)).slice(-4) + '}'; }
function visible(s) { return String(s).replace(UNSAFE, esc); }
function visibleText(s) { return String(s).replace(/\r\n/g, '\n').replace(UNSAFE_IN_TEXT, esc); }

// The only way this page makes elements: text always goes through a text node.
function h(tag, props, kids) {
  var e = document.createElement(tag);
  if (props) {
    Object.keys(props).forEach(function (k) {
      var v = props[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') e.className = v;
      else if (k === 'hidden') e.hidden = true;
      else e.setAttribute(k, String(v));
    });
  }
  add(e, kids);
  return e;
}
function add(e, kids) {
  if (kids === null || kids === undefined || kids === false) return;
  if (!Array.isArray(kids)) kids = [kids];
  kids.forEach(function (c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) add(e, c);
    else if (typeof c === 'object') e.appendChild(c);
    else e.appendChild(document.createTextNode(visibleText(c)));
  });
}
function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
function facts(rows) {
  var dl = h('dl', { class: 'facts' });
  rows.forEach(function (r) {
    if (!r || r[1] === null || r[1] === undefined || r[1] === '' ||
      (Array.isArray(r[1]) && r[1].length === 0)) return;
    add(dl, [h('dt', null, r[0]), h('dd', null, r[1])]);
  });
  return dl;
}
function code(s, cls) { return h('code', { class: cls || null }, visible(s)); }
function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many || one + 's'); }
function section(id, title, kids) {
  return h('section', { id: id, 'aria-labelledby': id + '-h' },
    [h('h2', { id: id + '-h', tabindex: '-1' }, title)].concat(kids));
}
function bytesText(n) {
  if (n < 1000) return plural(n, 'byte');
  var u = ['kB', 'MB', 'GB', 'TB'], i = -1;
  while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
  return (n < 10 ? n.toFixed(1) : Math.round(n)) + ' ' + u[i];
}

var exhibitIndex = new Map();
DATA.exhibits.forEach(function (x, i) { exhibitIndex.set(x.number, i); });
function exhibitLink(number) {
  var i = exhibitIndex.get(number);
  if (i === undefined) return visible(number);
  return h('a', { href: '#exhibit-' + i }, visible(number));
}
function joinNodes(list) {
  var out = [];
  list.forEach(function (x, i) { if (i) out.push(', '); out.push(x); });
  return out;
}

// ---------- Overview ----------
var lede = document.getElementById('lede');
clear(lede);
add(lede, 'This page lists the evidence in this bundle, what was written about it, and when things happened. ' +
  'It can also check, on this computer, that none of the files has changed since the bundle was made. ' +
  'Nothing is sent anywhere: this page works offline.');

var manifestCount = DATA.manifest.length;
add(app, h('div', { class: 'card' }, [
  facts([
    ['Bundle made', DATA.exportedText],
    ['Made by', DATA.exporter ? visible(DATA.exporter) : 'Not given'],
    ['Exhibits', String(DATA.exhibits.length)],
    ['Incidents described', String(DATA.incidents.length)],
    ['People named', String(DATA.people.length)],
    ['Files listed for checking', String(manifestCount)],
    ['Signing key fingerprint', code(DATA.signingKeyFingerprint, 'hash')],
    ['Made with', visible(DATA.software.name + ' ' + DATA.software.version)]
  ]),
  h('nav', { class: 'toc no-print', 'aria-label': 'Contents' }, h('ul', null, [
    h('li', null, h('a', { href: '#check' }, 'Check the files')),
    h('li', null, h('a', { href: '#exhibits' }, 'Exhibits (' + DATA.exhibits.length + ')')),
    h('li', null, h('a', { href: '#timeline' }, 'Timeline (' + DATA.incidents.length + ')')),
    h('li', null, h('a', { href: '#people' }, 'People (' + DATA.people.length + ')')),
    h('li', null, h('a', { href: '#custody' }, 'Custody log')),
    h('li', null, h('a', { href: '#about' }, 'What the check proves'))
  ]))
]));

// ---------- Check the files ----------
var pick = h('input', { type: 'file', id: 'pick', webkitdirectory: '', directory: '', multiple: '',
  'aria-describedby': 'pick-help' });
var stopButton = h('button', { type: 'button', id: 'stop', hidden: true }, 'Stop checking');
var dropZone = h('div', { class: 'drop', id: 'drop' },
  'Or drag the bundle folder from your file manager and drop it anywhere on this page.');
var progressBar = h('progress', { id: 'progress', max: '1', value: '0', 'aria-label': 'Checking progress' });
var progressText = h('p', { id: 'progress-text', class: 'muted' });
var progressBox = h('div', { id: 'progress-box', hidden: true }, [progressBar, progressText]);
var verdictBox = h('div', { id: 'verdict', role: 'status', 'aria-live': 'polite' });
var tbody = h('tbody');
var countsLine = h('p', { id: 'counts', class: 'muted' });

add(app, section('check', 'Check that the files have not changed', [
  h('p', null, 'When this bundle was made, every file in it was given a SHA-256 fingerprint: a 64-character code ' +
    'computed from every bit of the file. Changing even one bit gives a completely different code. ' +
    'Choose the bundle folder below and this page computes the codes again, on this computer, and compares them.'),
  h('p', { id: 'pick-help' }, 'Choose the bundle folder itself: the one that contains bagit.txt and a folder called data. ' +
    'If you were given a .zip file, unzip it first (if it ends in .zip.age, decrypt it first, as VERIFY.txt explains). ' +
    'Your browser may ask whether to "upload" the files: this page only reads them here, and nothing leaves this computer.'),
  h('div', { class: 'picker' }, [h('label', { for: 'pick' }, 'Bundle folder:'), pick, stopButton]),
  dropZone,
  progressBox,
  verdictBox,
  countsLine,
  h('div', { class: 'table-wrap' }, h('table', { id: 'files' }, [
    h('caption', null, 'Every file listed in the bundle, with its expected fingerprint'),
    h('colgroup', null, [h('col', { class: 'c-file' }), h('col', { class: 'c-ex' }), h('col', { class: 'c-res' }), h('col', { class: 'c-hash' })]),
    h('thead', null, h('tr', null, [
      h('th', { scope: 'col' }, 'File'),
      h('th', { scope: 'col' }, 'Exhibit'),
      h('th', { scope: 'col' }, 'Result'),
      h('th', { scope: 'col' }, 'Fingerprint (SHA-256)')
    ])),
    tbody
  ]))
]));

var STATUS = {
  pending: '\u2014 Not checked yet',
  checking: '\u2026 Checking',
  match: '\u2713 Matches',
  different: '\u2717 DIFFERENT',
  missing: '\u2717 Missing',
  unreadable: '\u2717 Could not be read',
  stopped: '\u2014 Not checked (stopped)',
  extra: '+ Extra',
  viewer: '\u2022 This page',
  bagfile: '\u2022 Bag file'
};
function statusNode(status) {
  return h('span', { class: 'status s-' + status }, h('span', { class: 'pill' }, STATUS[status]));
}

var exhibitByPath = new Map();
DATA.exhibits.forEach(function (x, i) { exhibitByPath.set(x.bagPath, i); });
// Names match byte for byte, as in dossier verify: a name changed only in letter case or
// Unicode form (NFC/NFD) is a renamed file, not the listed one. lookalike() finds it to say so.
function lookalike(s) { return (s.normalize ? s.normalize('NFC') : s).toUpperCase().toLowerCase(); }

var rows = DATA.manifest.map(function (m) {
  var xi = exhibitByPath.get(m.path);
  var result = h('td');
  var detail = h('td', null, h('span', { class: 'hash' }, m.sha256));
  var tr = h('tr', { 'data-path': m.path, 'data-status': 'pending' }, [
    h('td', null, code(m.path)),
    h('td', null, xi === undefined ? '\u2014' : exhibitLink(DATA.exhibits[xi].number)),
    result,
    detail
  ]);
  add(tbody, tr);
  return { path: m.path, key: m.path, sha256: m.sha256, exhibit: xi, tr: tr, result: result, detail: detail };
});
var manifestKeys = new Map();
rows.forEach(function (r) { manifestKeys.set(r.key, r); });
var exhibitStatus = [];

function setStatus(row, status, detail) {
  row.tr.setAttribute('data-status', status);
  clear(row.result);
  add(row.result, statusNode(status));
  if (detail) { clear(row.detail); add(row.detail, detail); }
  if (row.exhibit !== undefined && exhibitStatus[row.exhibit]) {
    var box = exhibitStatus[row.exhibit];
    box.setAttribute('data-status', status);
    clear(box);
    add(box, ['File check: ', statusNode(status)]);
  }
}
function resetRows() {
  rows.forEach(function (r) {
    setStatus(r, 'pending', h('span', { class: 'hash' }, r.sha256));
  });
  Array.prototype.slice.call(tbody.querySelectorAll('tr.found-only')).forEach(function (tr) { tbody.removeChild(tr); });
}

// ---------- Hashing ----------
var WEBCRYPTO_MAX = 512 * 1024 * 1024; // bigger files are hashed in pieces by the JS code
var CHUNK = 8 * 1024 * 1024;
function readBuffer(blob) {
  if (blob.arrayBuffer) return blob.arrayBuffer();
  return new Promise(function (resolve, reject) {
    var r = new FileReader();
    r.onload = function () { resolve(r.result); };
    r.onerror = function () { reject(r.error); };
    r.readAsArrayBuffer(blob);
  });
}
function toHex(buf) {
  var b = new Uint8Array(buf), s = '';
  for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}
var subtle = window.crypto && window.crypto.subtle;
async function hashFile(file, onBytes, isStopped) {
  if (subtle && file.size <= WEBCRYPTO_MAX) {
    try {
      var buf = await readBuffer(file);
      var hex = toHex(await subtle.digest('SHA-256', buf));
      onBytes(file.size);
      return { hex: hex, how: 'Web Crypto' };
    } catch (e) {
      if (e && e.name === 'NotReadableError') throw e;
      // out of memory or no WebCrypto here: fall through to the streaming code
    }
  }
  var s = new Sha256();
  for (var at = 0; at < file.size; at += CHUNK) {
    if (isStopped()) return null;
    var part = new Uint8Array(await readBuffer(file.slice(at, Math.min(file.size, at + CHUNK))));
    s.update(part);
    onBytes(part.length);
  }
  return { hex: s.hex(), how: 'in pieces' };
}

// Which folder in the picked paths is the bag root: the one under which most listed
// files are found. Handles picking the bag folder, its parent, or dropping its contents.
function chooseRoot(rels) {
  var counts = new Map();
  rels.forEach(function (r) {
    var parts = r.split('/');
    for (var i = 0; i < parts.length; i++) {
      if (manifestKeys.has(parts.slice(i).join('/'))) {
        var root = parts.slice(0, i).join('/');
        counts.set(root, (counts.get(root) || 0) + 1);
      }
    }
  });
  var best = null, bestCount = 0;
  counts.forEach(function (n, root) {
    if (n > bestCount || (n === bestCount && root.length < best.length)) { best = root; bestCount = n; }
  });
  if (best !== null) return best;
  var first = rels.length && rels[0].indexOf('/') > 0 ? rels[0].split('/')[0] : '';
  return first && rels.every(function (r) { return r.indexOf(first + '/') === 0; }) ? first : '';
}

var TAG_FILE = /^(bagit\.txt|bag-info\.txt|fetch\.txt|(tag)?manifest-[a-z0-9]+\.txt|VERIFY\.txt|signature\/[^/]+)$/;
var JUNK = /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini|\._[^/]*)$/i;
var PREVIEWABLE = /^image\/(jpeg|png|gif|webp|bmp|avif)$/;
var objectUrls = [];
var runId = 0;
var stopRequested = false;
stopButton.addEventListener('click', function () { stopRequested = true; });

function verdict(cls, title, paragraphs) {
  clear(verdictBox);
  var heading = h('h3', { tabindex: '-1', id: 'verdict-title' }, title);
  add(verdictBox, h('div', { class: 'verdict ' + cls }, [heading].concat(paragraphs.map(function (p) {
    return h('p', null, p);
  }))));
  return heading;
}

var MEANS = 'What this means: each file marked \u201cMatches\u201d is bit-for-bit the same as the file that was put in this bundle on ' +
  DATA.exportedText + '. It has not been edited, replaced or damaged since.';
var NOT_MEANS = 'What it does not mean: a matching fingerprint does not show that what a file shows is true or complete, ' +
  'who made it, or when. Times taken from the files themselves (photo EXIF data, file dates) can be set by anyone.';
var SELF = 'This check relies on this page. Someone able to change the files could also change this page, so for a ' +
  'formal check also verify the signature with the steps in VERIFY.txt and compare the signing key fingerprint ' +
  '(shown at the top) with the person who made the bundle.';

async function verify(picked, label) {
  var my = ++runId;
  stopRequested = false;
  objectUrls.forEach(function (u) { URL.revokeObjectURL(u); });
  objectUrls = [];
  resetRows();
  clear(verdictBox);
  clear(countsLine);
  var rels = picked.map(function (p) { return p.rel.replace(/\\/g, '/').replace(/^\/+/, ''); });
  var root = chooseRoot(rels);
  var found = new Map(), outside = 0, doubles = [], foundAlike = null;
  picked.forEach(function (p, i) {
    var r = rels[i];
    var inner;
    if (root === '') inner = r;
    else if (r.indexOf(root + '/') === 0) inner = r.slice(root.length + 1);
    else { outside++; return; }
    if (found.has(inner)) doubles.push(inner); else found.set(inner, p.file);
  });

  var total = 0, done = 0, filesDone = 0;
  rows.forEach(function (r) { var f = found.get(r.key); if (f) total += f.size; });
  var started = Date.now(), lastPaint = 0;
  progressBox.hidden = false;
  stopButton.hidden = false;
  progressBar.max = Math.max(total, 1);
  progressBar.value = 0;
  function paint(current, force) {
    var now = Date.now();
    if (!force && now - lastPaint < 150) return;
    lastPaint = now;
    progressBar.value = done;
    progressText.textContent = visible('Checking file ' + Math.min(filesDone + 1, rows.length) + ' of ' + rows.length +
      (current ? ': ' + current : '') + ' \u2014 ' + bytesText(done) + ' of ' + bytesText(total) + ' read');
  }
  verdictBox.textContent = 'Checking ' + plural(rows.length, 'file') + ' from ' + visible(label || 'the chosen folder') + '\u2026';

  var counts = { match: 0, different: 0, missing: 0, unreadable: 0, stopped: 0 };
  for (var i = 0; i < rows.length; i++) {
    var row = rows[i];
    if (my !== runId) return;
    if (stopRequested) { setStatus(row, 'stopped'); counts.stopped++; continue; }
    var file = found.get(row.key);
    if (!file) {
      if (!foundAlike) {
        foundAlike = new Map();
        found.forEach(function (f, p) { foundAlike.set(lookalike(p), (foundAlike.get(lookalike(p)) || []).concat([p])); });
      }
      var renamed = (foundAlike.get(lookalike(row.key)) || []).filter(function (p) { return p !== row.key; });
      setStatus(row, 'missing', ['Not found in the chosen folder. Expected: ', h('span', { class: 'hash' }, row.sha256),
        renamed.length ? [h('br'), 'The folder holds ', code(renamed[0]), ' instead, a name that differs only in letter case or in how accented letters are encoded: the file was renamed, so it is not this file.'] : null]);
      counts.missing++;
      continue;
    }
    setStatus(row, 'checking');
    paint(row.path, true);
    var result = null, error = null;
    try {
      result = await hashFile(file, function (n) { done += n; paint(row.path, false); }, function () { return stopRequested || my !== runId; });
    } catch (e) {
      error = e;
    }
    if (my !== runId) return;
    filesDone++;
    var x = row.exhibit === undefined ? null : DATA.exhibits[row.exhibit];
    if (error) {
      setStatus(row, 'unreadable', 'The file could not be read (' + visible(error.name || 'error') + '): ' + visible(error.message || ''));
      counts.unreadable++;
    } else if (!result) {
      setStatus(row, 'stopped'); counts.stopped++;
    } else if (result.hex === row.sha256) {
      setStatus(row, 'match', [h('span', { class: 'hash' }, row.sha256)]);
      counts.match++;
    } else {
      setStatus(row, 'different', [
        'Expected: ', h('span', { class: 'hash' }, row.sha256), h('br'),
        'Found: ', h('span', { class: 'hash' }, result.hex),
        x && file.size !== x.size ? [h('br'), 'Size is ' + plural(file.size, 'byte') + '; it was ' + plural(x.size, 'byte') + '.'] : null
      ]);
      counts.different++;
    }
    if (x && (result || error)) showFromFile(row.exhibit, x, file);
    await new Promise(function (r) { setTimeout(r, 0); });
  }

  // Files in the folder that the manifest does not list.
  var extra = 0, extraJunk = 0;
  var found2 = [];
  found.forEach(function (f, p) { if (!manifestKeys.has(p)) found2.push([p, f]); });
  doubles.forEach(function (p) { found2.push([p, null]); });
  found2.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
  found2.forEach(function (pf) {
    var p = pf[0], kind, note;
    if (p === 'data/viewer/index.html') {
      kind = 'viewer';
      note = 'This page cannot hold its own fingerprint; manifest-sha256.txt does (see VERIFY.txt).';
    } else if (TAG_FILE.test(p)) {
      kind = 'bagfile';
      note = 'Describes the bundle; not evidence. Checked with the steps in VERIFY.txt.';
    }
    else {
      kind = 'extra'; extra++;
      note = pf[1] === null ? 'A second file with the same name.'
        : JUNK.test(p) ? 'Probably made by the computer that opened the folder; not part of the bundle.'
        : 'Not part of the bundle as exported (' + plural(pf[1].size, 'byte') + ').';
      if (JUNK.test(p)) extraJunk++;
    }
    var result = h('td');
    var tr = h('tr', { 'data-path': p, 'data-status': kind, class: 'found-only' }, [
      h('td', null, code(p)), h('td', null, '\u2014'), result, h('td', null, note)
    ]);
    add(result, statusNode(kind));
    add(tbody, tr);
  });

  progressBar.value = progressBar.max;
  progressText.textContent = 'Read ' + bytesText(done) + ' in ' + Math.max(1, Math.round((Date.now() - started) / 1000)) + ' s.';
  stopButton.hidden = true;

  add(countsLine, [
    plural(counts.match, 'file matches', 'files match'), ' \u00b7 ',
    counts.different + ' DIFFERENT \u00b7 ', counts.missing + ' missing \u00b7 ',
    counts.unreadable + ' unreadable \u00b7 ', extra + ' extra',
    counts.stopped ? ' \u00b7 ' + counts.stopped + ' not checked' : '',
    outside ? ' \u00b7 ' + plural(outside, 'file') + ' outside the bundle folder ignored' : ''
  ]);

  var heading;
  var bad = counts.different + counts.missing + counts.unreadable;
  if (counts.match + counts.different + counts.unreadable === 0 && !counts.stopped) {
    heading = verdict('v-warn', 'None of this bundle\u2019s files were found in the folder you chose', [
      'Choose the bundle folder itself: the one that contains bagit.txt and the data folder, not a folder inside it or a different copy.'
    ]);
  } else if (bad > 0) {
    var parts = [];
    if (counts.different) parts.push(counts.different + ' DIFFERENT');
    if (counts.missing) parts.push(counts.missing + ' missing');
    if (counts.unreadable) parts.push(counts.unreadable + ' could not be read');
    heading = verdict('v-bad', '\u2717 Problem found: ' + parts.join(', ') + ' (of ' + plural(rows.length, 'file') + ')', [
      'A file marked DIFFERENT is not the file that was put in this bundle: it has been changed, replaced or damaged since. ' +
        'A file marked Missing was not in the folder you chose. Do not rely on those files; ask the person who made the bundle for a fresh copy.',
      counts.match ? plural(counts.match, 'file') + ' still ' + (counts.match === 1 ? 'matches' : 'match') +
        '. ' + MEANS : 'No file matched.',
      NOT_MEANS
    ]);
  } else if (counts.stopped) {
    heading = verdict('v-warn', 'Checking stopped: ' + counts.match + ' of ' + plural(rows.length, 'file') + ' checked, all matching so far', [MEANS, NOT_MEANS]);
  } else if (extra > 0) {
    heading = verdict('v-warn', '\u2713 All ' + plural(rows.length, 'file') + ' match, but ' + plural(extra, 'extra file was', 'extra files were') + ' found', [
      'Every file listed in this bundle is present and unchanged. The folder also holds ' + plural(extra, 'file') +
        ' that ' + (extra === 1 ? 'was' : 'were') + ' not part of the bundle when it was made (marked Extra below)' +
        (extraJunk ? '; some look like files a computer adds by itself' : '') + '. Nothing here vouches for them.',
      MEANS, NOT_MEANS, SELF
    ]);
  } else {
    heading = verdict('v-ok', '\u2713 All ' + plural(rows.length, 'file') + ' match', [
      'Every file listed in this bundle is in the folder you chose, and none has changed.', MEANS, NOT_MEANS, SELF
    ]);
  }
  heading.focus();
}

pick.addEventListener('change', function () {
  var files = Array.prototype.slice.call(pick.files || []);
  if (!files.length) return;
  var picked = files.map(function (f) { return { rel: f.webkitRelativePath || f.name, file: f }; });
  var top = picked[0].rel.split('/')[0];
  verify(picked, top);
});

// Drag and drop of the folder, where the browser can list a dropped folder's contents.
function walkEntry(entry, out) {
  return new Promise(function (resolve, reject) {
    if (entry.isFile) {
      entry.file(function (f) { out.push({ rel: entry.fullPath, file: f }); resolve(); }, reject);
    } else if (entry.isDirectory) {
      var reader = entry.createReader();
      var more = function () {
        reader.readEntries(function (batch) {
          if (!batch.length) { resolve(); return; }
          Promise.all(batch.map(function (e) { return walkEntry(e, out); })).then(more, reject);
        }, reject);
      };
      more();
    } else resolve();
  });
}
var dragDepth = 0;
document.addEventListener('dragenter', function (e) { e.preventDefault(); dragDepth++; dropZone.classList.add('over'); });
document.addEventListener('dragleave', function () { if (--dragDepth <= 0) { dragDepth = 0; dropZone.classList.remove('over'); } });
document.addEventListener('dragover', function (e) { e.preventDefault(); });
document.addEventListener('drop', function (e) {
  e.preventDefault();
  dragDepth = 0;
  dropZone.classList.remove('over');
  var dt = e.dataTransfer;
  if (!dt) return;
  var entries = [];
  Array.prototype.slice.call(dt.items || []).forEach(function (item) {
    var entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
  });
  if (!entries.length) {
    var files = Array.prototype.slice.call(dt.files || []);
    if (files.length) verify(files.map(function (f) { return { rel: f.name, file: f }; }), 'the dropped files');
    return;
  }
  var out = [];
  Promise.all(entries.map(function (en) { return walkEntry(en, out); })).then(function () {
    verify(out, entries.length === 1 ? entries[0].name : 'the dropped items');
  }, function (err) {
    verdict('v-warn', 'The dropped folder could not be read', [
      'This browser could not list the dropped folder (' + visible(err && err.name || 'error') + '). Use the \u201cBundle folder\u201d button instead.'
    ]);
  });
});

// ---------- Exhibits ----------
var previews = [];
function previewBox(x, i) {
  var fig = h('figure', { class: 'preview' });
  if (x.thumbnail && /^[A-Za-z0-9+\/]+={0,2}$/.test(x.thumbnail)) {
    // Not lazy: a printed page must show every preview, and the size budget keeps them small.
    add(fig, [
      h('img', { src: 'data:image/jpeg;base64,' + x.thumbnail, alt: 'Reduced preview of exhibit ' + visible(x.number) }),
      h('figcaption', null, 'Reduced preview (not the original)')
    ]);
  } else if (PREVIEWABLE.test(x.mime) && DATA.thumbnails === 'omitted') {
    add(fig, h('div', { class: 'none' }, 'Preview appears after you choose the bundle folder'));
  } else {
    add(fig, h('div', { class: 'none' }, PREVIEWABLE.test(x.mime) || /^image\//.test(x.mime) ? 'No preview available' : 'No preview for this type of file'));
  }
  previews[i] = fig;
  return fig;
}
var mediaBoxes = [];
function showFromFile(i, x, file) {
  if (DATA.thumbnails === 'omitted' && PREVIEWABLE.test(x.mime) && previews[i]) {
    var url = URL.createObjectURL(file);
    objectUrls.push(url);
    var fig = previews[i];
    clear(fig);
    var img = h('img', { src: url, alt: 'Exhibit ' + visible(x.number) + ', from the file you chose', loading: 'lazy' });
    img.addEventListener('error', function () {
      clear(fig);
      add(fig, h('div', { class: 'none' }, 'This browser cannot show this image'));
    });
    add(fig, [img, h('figcaption', null, 'Shown from the file you chose')]);
  }
  var box = mediaBoxes[i];
  if (box && /^(audio|video)\//.test(x.mime)) {
    clear(box);
    var isVideo = /^video\//.test(x.mime);
    var play = h('button', { type: 'button' }, isVideo ? 'Play this video' : 'Play this recording');
    play.addEventListener('click', function () {
      var u = URL.createObjectURL(file);
      objectUrls.push(u);
      var m = h(isVideo ? 'video' : 'audio', { controls: '', preload: 'metadata', src: u,
        'aria-label': 'Exhibit ' + visible(x.number) });
      clear(box);
      add(box, m);
      m.focus();
    });
    add(box, play);
  }
}

function exhibitCard(x, i) {
  var status = h('p', { class: 'exhibit-status', 'data-status': 'pending' }, ['File check: ', statusNode('pending')]);
  exhibitStatus[i] = status;
  var flags = [];
  x.sensitive.forEach(function (s) { flags.push(h('p', { class: 'flag' }, ['\u26a0 Sensitive: ', s.text])); });
  x.metadataProblems.forEach(function (p) { flags.push(h('p', { class: 'flag' }, ['\u26a0 Problem found when importing: ', p])); });
  var body = h('div', { class: 'body' }, [
    h('h3', { id: 'exhibit-' + i + '-h' }, 'Exhibit ' + visible(x.number) + ': ' + visible(x.originalName)),
    status,
    facts([
      ['Original file name', code(x.originalName)],
      ['File in this bundle', code(x.bagPath)],
      ['Type', x.typeText],
      ['Size', x.sizeText],
      ['Picture size', x.width && x.height ? x.width + ' \u00d7 ' + x.height + ' pixels' : null],
      ['SHA-256 fingerprint', h('span', { class: 'hash' }, x.sha256)]
    ].concat(x.times.map(function (t) { return [t.label, t.text]; })).concat([
      ['Tags', x.tags.map(function (t) { return h('span', { class: 'tag' }, visible(t)); })],
      ['Made from', x.derivedFrom ? [
        x.derivedFrom.number ? ['Exhibit ', exhibitLink(x.derivedFrom.number)] : 'A file not in this bundle',
        ' (SHA-256 ', h('span', { class: 'hash' }, x.derivedFrom.sha256), '). ',
        x.derivedFrom.operation ? 'How: ' + x.derivedFrom.operation + '. ' : '',
        x.derivedFrom.reason ? 'Why: ' + x.derivedFrom.reason : ''
      ] : null],
      ['Incidents', x.incidents.length ? h('ul', null, x.incidents.map(function (inc) {
        return h('li', null, [inc.when, inc.summary ? ': ' + inc.summary : '']);
      })) : null],
      ['People', x.people.length ? joinNodes(x.people.map(function (p) {
        return visible(p.name) + (p.role ? ' (' + p.role + ')' : '');
      })) : null]
    ])),
    flags,
    x.notes.length ? [h('h4', null, 'Notes written about it')].concat(x.notes.map(function (n) {
      return h('div', null, [h('p', { class: 'note' }, n.body), h('p', { class: 'muted' }, 'Written ' + n.createdText)]);
    })) : h('p', { class: 'muted' }, 'No notes.'),
    x.exif.length ? h('details', null, [
      h('summary', null, 'Camera and file details (EXIF), ' + plural(x.exif.length, 'entry', 'entries')),
      h('p', { class: 'muted' }, 'As written inside the file. Anyone can edit these.'),
      h('div', { class: 'table-wrap' }, h('table', null, [
        h('thead', null, h('tr', null, [h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Value')])),
        h('tbody', null, x.exif.map(function (r) { return h('tr', null, [h('td', null, visible(r[0])), h('td', null, r[1])]); }))
      ]))
    ]) : null,
    x.history.length ? h('details', null, [
      h('summary', null, 'Custody log: ' + plural(x.history.length + x.historyMore, 'entry', 'entries') + ' about this exhibit'),
      h('ol', null, x.history.map(function (c) {
        return h('li', null, ['#' + c.seq + ' \u00b7 ' + c.when + ' \u00b7 ' + c.what, c.actor ? ' (by ' + visible(c.actor) + ')' : '']);
      })),
      x.historyMore ? h('p', { class: 'muted' }, 'And ' + x.historyMore + ' more in data/metadata/custody.jsonl.') : null
    ]) : null
  ]);
  var media = h('div', { class: 'media no-print' });
  if (/^(audio|video)\//.test(x.mime)) {
    add(media, h('p', { class: 'muted' }, 'To play it, first choose the bundle folder above.'));
    mediaBoxes[i] = media;
    add(body, media);
  }
  return h('article', { class: 'card exhibit', id: 'exhibit-' + i, 'aria-labelledby': 'exhibit-' + i + '-h',
    'data-number': x.number }, [previewBox(x, i), body]);
}

add(app, section('exhibits', 'Exhibits', [
  h('p', null, DATA.exhibits.length ? 'Each exhibit is an original file exactly as it was received. Its fingerprint (SHA-256) was recorded when it was first imported. ' +
    (DATA.thumbnails === 'omitted' ? 'Previews were left out to keep this page small; they appear once you choose the bundle folder.' : '')
    : 'This bundle has no exhibits.'),
  DATA.exhibits.map(exhibitCard)
]));

// ---------- Timeline ----------
add(app, section('timeline', 'Timeline of incidents', [
  DATA.conduct.text.map(function (t) { return h('p', null, t); }),
  DATA.incidents.length ? h('ol', { class: 'timeline' }, DATA.incidents.map(function (inc, i) {
    return h('li', { class: 'card', id: 'incident-' + i, 'data-id': inc.id }, [
      inc.gapText ? h('p', { class: 'gap' }, inc.gapText) : null,
      h('h3', null, 'Incident ' + (i + 1) + ' of ' + DATA.incidents.length + ': ' + inc.whenText),
      facts([
        ['Until', inc.untilText],
        ['What happened', inc.summary ? h('span', { class: 'note' }, inc.summary) : 'Not described'],
        ['Where or on what platform', inc.place],
        ['Impact', inc.impact ? h('span', { class: 'note' }, inc.impact) : null],
        ['Witnesses', inc.witnesses],
        ['Police reference', inc.policeRef ? code(inc.policeRef) : null],
        ['Platform reference', inc.platformRef ? code(inc.platformRef) : null],
        ['Exhibits', inc.exhibitNumbers.length ? joinNodes(inc.exhibitNumbers.map(exhibitLink)) : null],
        ['People', inc.people.length ? joinNodes(inc.people.map(function (p) {
          return visible(p.name) + (p.role ? ' (' + p.role + ')' : '');
        })) : null]
      ])
    ]);
  })) : null
]));

// ---------- People ----------
var KIND = { email: 'Email', handle: 'Handle', phone: 'Phone' };
add(app, section('people', 'People', DATA.people.length ? DATA.people.map(function (p) {
  return h('div', { class: 'card' }, [
    h('h3', null, visible(p.name) + ' \u2014 ' + p.roleText),
    facts([
      ['Known as', p.identifiers.length ? h('ul', null, p.identifiers.map(function (d) {
        return h('li', null, [(KIND[d.kind] || visible(d.kind)) + ': ', code(d.value)]);
      })) : null],
      ['Notes', p.notes ? h('span', { class: 'note' }, p.notes) : null],
      ['In exhibits', p.exhibitNumbers.length ? joinNodes(p.exhibitNumbers.map(exhibitLink)) : null],
      ['In incidents', p.incidentCount ? String(p.incidentCount) : null]
    ])
  ]);
}) : [h('p', null, 'No people are named in this bundle.')]));

// ---------- Custody log ----------
var cu = DATA.custody;
add(app, section('custody', 'Custody log', [
  h('p', null, 'Dossier records everything done with the evidence (imports, notes, exports, unlocking the vault) in a log ' +
    'where each entry carries the fingerprint of the one before, so an entry cannot be changed or removed without it showing.'),
  cu.entries ? facts([
    ['Entries in this bundle', cu.entries + ' (numbers #' + cu.firstSeq + ' to #' + cu.lastSeq + ')'],
    ['First', cu.firstText],
    ['Last', cu.lastText]
  ]) : h('p', null, 'This bundle has no custody log entries.'),
  cu.actions.length ? h('div', { class: 'table-wrap' }, h('table', null, [
    h('caption', null, 'What the entries record'),
    h('thead', null, h('tr', null, [h('th', { scope: 'col' }, 'What happened'), h('th', { scope: 'col' }, 'Times')])),
    h('tbody', null, cu.actions.map(function (a) { return h('tr', null, [h('td', null, a.text), h('td', null, String(a.count))]); }))
  ])) : null,
  cu.checkpoint ? h('p', null, ['At export, the latest entry (#' + cu.checkpoint.seq + ') had the fingerprint ',
    h('span', { class: 'hash' }, cu.checkpoint.head), '. That was signed on ' + cu.checkpoint.signedText +
    ' with the bundle\u2019s signing key, so a later change to the log would show.']) : null,
  cu.leftOut ? h('p', null, plural(cu.leftOut, 'entry', 'entries') + ' about evidence that is not in this bundle ' +
    (cu.leftOut === 1 ? 'is' : 'are') + ' left out: custody.jsonl counts them, without their times, and the chain still checks across them.') : null,
  cu.pathWithheld ? h('p', null, plural(cu.pathWithheld, 'entry has its', 'entries have their') + ' details withheld because ' +
    'they record the full path a file was imported from (which can name a home folder). Their place in the chain is kept.') : null,
  h('p', { class: 'muted' }, 'The bundle includes the entries about its exhibits, incidents and people, plus vault-wide events ' +
    '(vault created, unlocked, locked, key changes, exports). Every entry in full is in data/metadata/custody.jsonl, and the report ' +
    '(data/report/report.pdf) lists them. The command \u201cdossier verify\u201d checks the chain and the signature.')
]));

// ---------- What the check proves ----------
add(app, section('about', 'What the check proves, and what it does not', [
  h('p', null, 'If every file matches, each file is bit-for-bit the same as when this bundle was made, and each exhibit has the same ' +
    'fingerprint as when it was first imported into Dossier (the custody log records that fingerprint).'),
  h('p', null, NOT_MEANS),
  h('p', null, SELF),
  facts([
    ['Exhibit list fingerprint', [h('span', { class: 'hash' }, DATA.evidenceIndexSha256),
      ' (SHA-256 of data/metadata/items.json, also printed in the report)']],
    ['Signing key fingerprint', h('span', { class: 'hash' }, DATA.signingKeyFingerprint)]
  ]),
  h('p', { class: 'muted' }, 'Files up to 512 MB are read whole and fingerprinted with the browser\u2019s built-in SHA-256 (Web Crypto); bigger files are read in ' +
    '8 MB pieces and fingerprinted by this page\u2019s own SHA-256 code. ' + (subtle ? '' : 'This browser does not offer Web Crypto here, so all files use the page\u2019s own code.'))
]));
add(document.body, h('footer', null, 'Made with ' + visible(DATA.software.name + ' ' + DATA.software.version) +
  '. This page works offline and sends nothing anywhere.'));
resetRows();
`;

/** The whole inline script: one function scope, strict mode. */
export const PAGE_SCRIPT = `(function () {\n'use strict';\n${SHA256_SCRIPT}\n${MAIN_SCRIPT}\n})();\n`;
