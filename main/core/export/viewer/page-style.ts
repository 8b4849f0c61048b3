// The viewer's stylesheet. Allowed by its hash in the page's CSP, so it must be inlined as is.
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --paper: #ffffff;
  --bg: #f6f5f2; --ok: #116329; --ok-bg: #e6f4ea; --bad: #a40e26; --bad-bg: #fdecee;
  --warn: #7a4a00; --warn-bg: #fff4d6; --info-bg: #eef3fb; --focus: #0b57d0; }
* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.top, main { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
.top { padding-top: 2rem; padding-bottom: 0.5rem; }
.kicker { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.8rem; }
h1 { margin: 0.25rem 0 0.5rem; font-size: 1.9rem; line-height: 1.2; overflow-wrap: anywhere; }
h2 { margin: 2.5rem 0 0.75rem; font-size: 1.4rem; border-bottom: 1px solid var(--line); padding-bottom: 0.3rem; }
h3 { margin: 0 0 0.5rem; font-size: 1.1rem; overflow-wrap: anywhere; }
h4 { margin: 1rem 0 0.25rem; font-size: 1rem; }
p { margin: 0.5rem 0; }
a { color: var(--focus); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus, [tabindex]:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
a:focus:not(:focus-visible), button:focus:not(:focus-visible), summary:focus:not(:focus-visible) { outline: none; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0.5rem; background: var(--paper); padding: 0.5rem 0.75rem; }
.skip:focus { left: 0.5rem; z-index: 10; }
nav.toc ul { list-style: none; padding: 0; margin: 0.75rem 0 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.25rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1rem; }
.callout { background: var(--info-bg); border: 1px solid #c5d4ee; border-radius: 8px; padding: 0.75rem 1rem; }
.hash, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.88em; overflow-wrap: anywhere; }
.exhibit { display: flex; flex-wrap: wrap; gap: 1.25rem; }
.exhibit .preview { flex: 0 0 11rem; margin: 0; }
.exhibit .preview img { display: block; max-width: 11rem; max-height: 16rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.exhibit .preview figcaption, .muted { color: var(--muted); font-size: 0.88rem; }
.exhibit .preview .none { width: 11rem; min-height: 6rem; border: 1px dashed var(--line); border-radius: 4px; display: flex; align-items: center; justify-content: center; text-align: center; padding: 0.5rem; color: var(--muted); font-size: 0.88rem; }
.exhibit .body { flex: 1 1 24rem; min-width: 0; }
.note { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 3px solid var(--line); padding: 0.1rem 0 0.1rem 0.75rem; margin: 0.4rem 0; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: 0 0.6rem; margin: 0 0.3rem 0.3rem 0; font-size: 0.88rem; background: var(--bg); }
.flag { border-left: 4px solid #b08000; background: var(--warn-bg); color: var(--warn); padding: 0.35rem 0.75rem; margin: 0.4rem 0; border-radius: 4px; }
.status { font-weight: 600; }
.status.s-match { color: var(--ok); }
.status.s-different, .status.s-missing, .status.s-unreadable { color: var(--bad); }
.status.s-extra { color: var(--warn); }
.status.s-pending, .status.s-viewer, .status.s-bagfile, .status.s-stopped { color: var(--muted); }
.pill { display: inline-block; border-radius: 4px; padding: 0.05rem 0.5rem; border: 1px solid currentColor; }
.s-match .pill { background: var(--ok-bg); }
.s-different .pill, .s-missing .pill, .s-unreadable .pill { background: var(--bad-bg); }
.s-extra .pill { background: var(--warn-bg); }
.verdict { border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; border: 2px solid var(--line); background: var(--paper); }
.verdict.v-ok { border-color: var(--ok); background: var(--ok-bg); }
.verdict.v-bad { border-color: var(--bad); background: var(--bad-bg); }
.verdict.v-warn { border-color: #b08000; background: var(--warn-bg); }
.verdict h3 { font-size: 1.2rem; }
.picker { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem 1rem; }
.picker label { font-weight: 600; }
input[type=file] { font: inherit; max-width: 100%; }
button { font: inherit; padding: 0.35rem 0.9rem; border-radius: 6px; border: 1px solid #8c959f; background: var(--paper); color: var(--ink); cursor: pointer; }
.drop { margin-top: 0.75rem; border: 2px dashed var(--line); border-radius: 8px; padding: 1rem; text-align: center; color: var(--muted); }
.drop.over { border-color: var(--focus); background: var(--info-bg); color: var(--ink); }
progress { width: 100%; height: 1rem; }
table { border-collapse: collapse; width: 100%; background: var(--paper); font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 0.4rem 0.6rem; overflow-wrap: anywhere; }
th { background: var(--bg); white-space: nowrap; }
#files { table-layout: fixed; }
#files .c-file { width: 30%; } #files .c-ex { width: 6rem; } #files .c-res { width: 11rem; }
caption { padding-left: 0.6rem; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; color: var(--focus); }
ol.timeline { list-style: none; padding: 0; margin: 0; }
ol.timeline > li { position: relative; padding-left: 1.25rem; border-left: 3px solid var(--line); margin-left: 0.4rem; padding-bottom: 0.25rem; }
.gap { color: var(--muted); font-size: 0.88rem; margin: 0 0 0.4rem; }
.media audio, .media video { max-width: 100%; margin-top: 0.5rem; }
[hidden] { display: none !important; }
footer { max-width: 62rem; margin: 3rem auto 2rem; padding: 0 1.25rem; color: var(--muted); font-size: 0.88rem; }
@media (max-width: 40rem) { .facts { grid-template-columns: 1fr; } .facts dd { margin-bottom: 0.4rem; } }
.exhibit .original { flex: 1 1 100%; min-width: 0; border-top: 1px solid var(--line); padding-top: 0.5rem; }
.exhibit .original h4 { margin-top: 0.25rem; }
.exhibit .machine-text { flex: 1 1 100%; min-width: 0; border-top: 1px solid var(--line); padding-top: 0.5rem; }
.exhibit .transcript { flex: 1 1 100%; min-width: 0; border-top: 1px solid var(--line); padding-top: 0.5rem; }
.chat { list-style: none; padding: 0; margin: 0; }
.chat-message { border-left: 3px solid var(--line); padding: 0.25rem 0 0.25rem 0.75rem; margin: 0.6rem 0; break-inside: avoid; }
.chat-message p { margin: 0.15rem 0; }
.chat-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.chat-ref code { font-size: 0.8rem; }
.exhibit-nav { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0 0 0.5rem; }
button[disabled] { cursor: default; color: var(--muted); border-color: var(--line); }
.stage { position: relative; display: inline-block; max-width: 100%; line-height: 0; vertical-align: top; }
.stage img { display: block; }
.mark { position: absolute; box-sizing: border-box; border: 3px solid #c2185b; box-shadow: 0 0 0 1px #fff, inset 0 0 0 1px #fff; }
.mark-n { position: absolute; left: -3px; top: -3px; background: #c2185b; color: #fff; font: 700 0.85rem/1.3 system-ui, sans-serif; padding: 0 0.35rem; border-radius: 0 0 4px 0; }
.preview .mark { border-width: 2px; }
.preview .mark-n { font-size: 0.65rem; padding: 0 0.2rem; }
.regions h5, .email h5 { margin: 0.75rem 0 0.25rem; font-size: 0.95rem; }
.regions ol { margin: 0; padding-left: 1.5rem; }
.region-n { font-weight: 600; }
.note-inline { white-space: pre-wrap; overflow-wrap: anywhere; }
.zoom-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; margin: 0 0 0.5rem; }
.zoom-level { color: var(--muted); font-size: 0.88rem; margin-left: 0.25rem; }
.scroller { overflow: auto; max-height: 85vh; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.scroller .original-img { height: auto; max-width: none; }
.scroller.fit .original-img { max-width: 100%; }
pre.email-body, pre.text-body { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 70vh; overflow: auto; margin: 0.5rem 0; padding: 0.75rem; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; font: 0.9rem/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; }
.attachments { padding-left: 1.25rem; }
.sensitive { border-left: 4px solid #b08000; background: var(--warn-bg); padding: 0.5rem 0.75rem; margin: 0.5rem 0; border-radius: 4px; }
.sensitive h4 { margin-top: 0; }
input[type=text], select, textarea { font: inherit; color: var(--ink); background: var(--paper); border: 1px solid #8c959f; border-radius: 6px; padding: 0.3rem 0.5rem; }
input[type=text], textarea { width: 100%; max-width: 40rem; }
textarea { resize: vertical; }
.review-row { margin: 0.5rem 0; }
.review-row label { display: block; font-weight: 600; margin-bottom: 0.15rem; }
.review-row .muted { margin: 0 0 0.25rem; }
fieldset.review-exhibit { border: 1px solid var(--line); border-radius: 8px; margin: 0.5rem 0 0.75rem; padding: 0.25rem 0.9rem 0.5rem; background: var(--info-bg); }
fieldset.review-exhibit legend { font-weight: 600; padding: 0 0.3rem; }
.review-save { margin: 0.75rem 0; }
.saved { border-left: 4px solid var(--ok); background: var(--ok-bg); padding: 0.35rem 0.75rem; margin: 0.4rem 0; border-radius: 4px; }
@media print {
  .no-print, .skip, .picker, .drop, .zoom-tools, .choose, .show-location { display: none !important; }
  body { background: #fff; }
  .card { break-inside: avoid; }
  /* One exhibit per page, readable: the original fills the width, long text runs on. */
  .exhibit { display: block; break-before: page; break-inside: auto; border: none; padding: 0; }
  .exhibit .preview { float: right; margin: 0 0 0.5rem 1rem; }
  .exhibit:has(.original-img) .preview { display: none; }
  .original h4, .regions h5, .email h5 { break-after: avoid; }
  :focus, :focus-visible { outline: none !important; }
  .exhibit .original { clear: both; }
  .scroller { max-height: none; overflow: visible; border: none; }
  .scroller .original-img { width: auto !important; max-width: 100% !important; max-height: 24cm; }
  pre.email-body, pre.text-body { max-height: none; overflow: visible; }
  a[href^="../"]::after { content: " (" attr(href) ")"; }
}
`;
