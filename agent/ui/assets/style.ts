// The page's stylesheet, kept in a TS module so `deno compile` embeds it. Light and dark
// themes follow the system setting; every state is a word as well as a colour; colours were
// picked for at least 4.5:1 contrast on their background in both themes.
export const STYLE_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa;
  --link: #0550ae; --focus: #0969da;
  --ok-bg: #dafbe1; --ok-fg: #116329; --bad-bg: #ffebe9; --bad-fg: #a40e26;
  --wait-bg: #ddf4ff; --wait-fg: #0a3069; --prog-bg: #fff8c5; --prog-fg: #6b4b00;
  --off-bg: #eaeef2; --off-fg: #424a53; --flash: #fff8c5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --line: #30363d; --panel: #161b22;
    --link: #79c0ff; --focus: #58a6ff;
    --ok-bg: #0f3d1f; --ok-fg: #7ee2a0; --bad-bg: #4a1218; --bad-fg: #ffb3ad;
    --wait-bg: #0c2d4f; --wait-fg: #a5d6ff; --prog-bg: #3d2e00; --prog-fg: #f2cc60;
    --off-bg: #30363d; --off-fg: #c9d1d9; --flash: #3d2e00;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: var(--bg); color: var(--fg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible,
summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 13px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: .5rem; }
.skip:focus { left: .5rem; z-index: 2; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
header.top { display: flex; align-items: center; gap: .75rem; padding: .6rem 1rem;
  border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; color: var(--fg); }
.live { margin-left: auto; font-size: .85rem; color: var(--muted); }
.live::before { content: "\\25CF "; color: var(--ok-fg); }
.live.off::before { color: var(--bad-fg); }
main { padding: 1rem; max-width: 1400px; margin: 0 auto; }
h1 { font-size: 1.4rem; margin: .2rem 0 .6rem; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid var(--line);
  padding-bottom: .25rem; }
.summary { color: var(--muted); margin: 0 0 .8rem; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem .9rem; align-items: end; margin-bottom: .8rem; }
.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
.filters input, .filters select, .filters button { font: inherit; padding: .3rem .45rem;
  border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.filters button { cursor: pointer; background: var(--panel); }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: var(--panel); font-size: .85rem; white-space: nowrap; }
th a { color: var(--fg); text-decoration: none; }
th a:hover { text-decoration: underline; }
th[aria-sort="ascending"] a::after { content: " \\25B2"; }
th[aria-sort="descending"] a::after { content: " \\25BC"; }
tbody tr:last-child td { border-bottom: 0; }
tr.changed td { animation: flash 1.5s ease-out; }
@keyframes flash { from { background: var(--flash); } to { background: transparent; } }
@media (prefers-reduced-motion: reduce) { tr.changed td { animation: none; } }
td.msg { min-width: 18rem; white-space: pre-wrap; overflow-wrap: anywhere; }
td.nowrap, .nowrap { white-space: nowrap; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem;
  font-weight: 600; white-space: nowrap; }
.s-ready, .h-current { background: var(--ok-bg); color: var(--ok-fg); }
.s-failed, .h-failed, .s-missing { background: var(--bad-bg); color: var(--bad-fg); }
.s-waiting, .h-terminating { background: var(--wait-bg); color: var(--wait-fg); }
.s-progressing, .h-inprogress { background: var(--prog-bg); color: var(--prog-fg); }
.s-suspended, .h-unknown, .h-notfound { background: var(--off-bg); color: var(--off-fg); }
.h-notfound { background: var(--bad-bg); color: var(--bad-fg); }
.kind { color: var(--muted); font-size: .85rem; }
.muted { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.callout { border-left: 4px solid var(--bad-fg); background: var(--bad-bg); color: var(--fg);
  padding: .6rem .8rem; border-radius: 4px; margin: .8rem 0; white-space: pre-wrap;
  word-break: break-word; }
.callout strong { color: var(--bad-fg); }
.warnings { border: 1px solid var(--prog-fg); border-left-width: 6px; background: var(--prog-bg);
  color: var(--fg); padding: .6rem .8rem; border-radius: 6px; margin: 0 0 1rem;
  overflow-wrap: anywhere; }
.warnings strong { color: var(--prog-fg); }
.warnings strong::before { content: "\\26A0  "; }
.warnings ul { margin: .3rem 0 0; padding-left: 1.2rem; }
ol.chain, ul.used-by { list-style: none; padding: 0; margin: 0; }
ol.chain li, ul.used-by li { padding: .25rem 0; }
.depth-2 { margin-left: 1.2rem; } .depth-3 { margin-left: 2.4rem; } .depth-4 { margin-left: 3.6rem; }
.depth-5 { margin-left: 4.8rem; } .depth-6 { margin-left: 6rem; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.1rem; }
ul.tree { padding-left: 0; }
ul.tree li { padding: .1rem 0; }
ul.tree summary { cursor: pointer; }
pre.yaml { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: .8rem; overflow-x: auto; }
ul.tags { display: flex; flex-wrap: wrap; gap: .35rem; list-style: none; padding: 0; }
ul.tags li { border: 1px solid var(--line); border-radius: 6px; padding: 0 .4rem; }
footer { color: var(--muted); font-size: .85rem; padding: 1rem; text-align: center; }
@media (max-width: 700px) {
  main { padding: .6rem; }
  .hide-narrow { display: none; }
  /* The overview becomes a list of cards: state and kind, name, revision, message. */
  table.overview thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  table.overview, table.overview tbody, table.overview tr, table.overview td { display: block; }
  table.overview tr { padding: .55rem .7rem; border-bottom: 1px solid var(--line); }
  table.overview tbody tr:last-child { border-bottom: 0; }
  table.overview td { border: 0; padding: .1rem 0; }
  table.overview td:nth-child(1), table.overview td:nth-child(2) { display: inline-block;
    margin-right: .4rem; }
  table.overview td.hide-narrow { display: none; }
  table.overview td.msg { min-width: 0; }
  td.msg { min-width: 12rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
}
`;
