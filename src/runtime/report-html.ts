// The html report: one self-contained file (no network) with the trial matrix, the assertion breakdown, and each
// trial's recording playable in the page by asciinema-player, inlined with its stylesheet. Everything taken from the
// execution is escaped: text and attributes as html, the recordings as JSON inside <script type="application/json">
// with `<` written \u003c so no `</script>` in a recording can end the element.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Report, ReportUnit } from './report-model';
import { comparisonFigures, pValue, significanceLine } from './report';
import { duration } from './format';

/** Recordings larger than this are left out of the page (with a note): the file must stay usable in a browser. */
export const MAX_EMBEDDED_CAST_BYTES = 5 * 1024 * 1024;

export interface Player {
  js: string;
  css: string;
}

/** asciinema-player's standalone bundle, read from node_modules at run time (dist/ does not bundle it). */
export function loadPlayer(): Player {
  const req = createRequire(import.meta.url);
  return {
    js: readFileSync(req.resolve('asciinema-player/dist/bundle/asciinema-player.min.js'), 'utf8'),
    css: readFileSync(req.resolve('asciinema-player/dist/bundle/asciinema-player.css'), 'utf8'),
  };
}

/** `end`: the time of the recording's last event, in seconds: the player's poster shows the screen there. */
export type CastEmbed = { text: string; end?: number } | { note: string };

/** The time of an asciicast v2 recording's last event (seconds), read from its last lines. */
export function castEnd(text: string): number | undefined {
  const lines = text.trimEnd().split('\n');
  for (let i = lines.length - 1; i > 0; i--) {
    try {
      const e = JSON.parse(lines[i]) as unknown;
      if (Array.isArray(e) && typeof e[0] === 'number' && Number.isFinite(e[0])) return e[0];
    } catch {
      // a torn last line: look further up
    }
  }
  return undefined;
}

/** The recording of each unit that has one, read from disk (relative paths resolved from `reportDir`), capped. */
export function loadCasts(r: Report, reportDir: string, max = MAX_EMBEDDED_CAST_BYTES): Record<string, CastEmbed> {
  const out: Record<string, CastEmbed> = {};
  for (const u of r.units) {
    if (!u.cast) continue;
    const path = resolve(reportDir, u.cast);
    try {
      const size = statSync(path).size;
      out[u.id] =
        size > max
          ? { note: `recording not embedded: ${(size / 1024 / 1024).toFixed(1)} MB is over the ${(max / 1024 / 1024).toFixed(0)} MB limit; open ${u.cast} with asciinema play` }
          : (() => {
              const text = readFileSync(path, 'utf8');
              const end = castEnd(text);
              return end === undefined ? { text } : { text, end };
            })();
    } catch (err) {
      out[u.id] = { note: `recording could not be read: ${(err as Error).message}` };
    }
  }
  return out;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ESC[c]);

/** JSON safe inside a <script> element: no `<` (so no `</script>` or `<!--`), no line separators JS would choke on. */
export const scriptJson = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** Vendor code inlined in a <script>: an (unlikely) `</script` in it would end the element early. */
const inlineScript = (js: string): string => js.replace(/<\/(script)/gi, '<\\/$1');
const inlineStyle = (css: string): string => css.replace(/<\/(style)/gi, '<\\/$1');

const pct = (x: number | null): string => (x === null ? '—' : `${Number.isInteger(Math.round(x * 1e6) / 1e4) ? Math.round(x * 100) : (x * 100).toFixed(1)} %`);
const ms = (x: number | null): string => (x === null ? '—' : duration(x) || '0ms');
const DOT_CLASS: Record<string, string> = { passed: 'pass', failed: 'fail', error: 'error', running: 'running' };

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1d2330;background:#fafbfc}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e7;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef1f5;padding:1px 4px;border-radius:3px}
table{border-collapse:collapse;margin:6px 0 10px;background:#fff}th,td{border:1px solid #dde1e7;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0f2f5;font-weight:600}
.meta{color:#4a5264;margin:2px 0}.note{background:#fff6dd;border:1px solid #f0d98c;padding:6px 10px;border-radius:4px;margin:8px 0}
.dot{display:inline-block;width:16px;height:16px;border-radius:50%;margin:2px;vertical-align:middle;border:1px solid rgba(0,0,0,.15);text-decoration:none}
.dot.pass{background:#2da44e}.dot.fail{background:#cf222e}.dot.error{background:#d4a72c}.dot.running{background:#54aeff}.dot.other{background:#d0d7de}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}
.barbg{display:inline-block;width:120px;height:10px;background:#f3d3d5;vertical-align:middle;margin-right:6px;overflow:hidden}.bar{display:block;height:10px;background:#2da44e}
.trial{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:10px 14px;margin:12px 0}.trial h3{margin-top:0}
.player{max-width:1000px;margin-top:8px}.legend span{margin-right:12px}
table.compare td{font-variant-numeric:tabular-nums}
pre.diff{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#fff;border:1px solid #dde1e7;border-radius:4px;padding:6px 0;overflow-x:auto}
pre.diff span{display:block;padding:0 10px;white-space:pre}pre.diff .add{background:#e6ffec;color:#116329}pre.diff .del{background:#ffebe9;color:#82071e}pre.diff .hunk{color:#0550ae;background:#ddf4ff}pre.diff .head{color:#57606a;font-weight:600}
`;

function dot(u: ReportUnit, anchor: string): string {
  const cls = DOT_CLASS[u.status] ?? 'other';
  const title = `${u.id}: ${u.status}${u.score !== null ? ` (score ${u.score.toFixed(2)})` : ''}${u.reason ? ` — ${u.reason}` : ''}`;
  return `<a class="dot ${cls}" href="#${anchor}" title="${esc(title)}" aria-label="${esc(title)}"></a>`;
}

function matrix(r: Report, anchors: Map<string, string>): string {
  const byId = new Map(r.units.map((u) => [u.id, u]));
  const rows = r.providers.map((p) => {
    const dots = p.units.map((id) => byId.get(id)).filter((u): u is ReportUnit => !!u).map((u) => dot(u, anchors.get(u.id)!)).join('');
    const interval = p.interval ? `${pct(p.interval.low)} – ${pct(p.interval.high)}` : '—';
    return `<tr><th>${esc(p.provider)}</th><td class="dots">${dots}</td><td>${p.passed}/${p.passed + p.failed + p.errors}${p.errors ? ` <span class="warn">(${p.errors} error${p.errors === 1 ? '' : 's'})</span>` : ''}</td><td>${pct(p.passRate)}</td><td>${interval}</td><td>${ms(p.durations.p50Ms)} / ${ms(p.durations.p95Ms)}</td><td>${p.cost === null ? '—' : esc(`$${p.cost.toFixed(4)}`)}</td><td>${p.meetsThreshold ? '<span class="ok">✓ met</span>' : '<span class="bad">✗ not met</span>'}</td></tr>`;
  });
  return `<table class="matrix"><thead><tr><th>provider</th><th>trials</th><th>passed</th><th>pass rate</th><th>95 % interval (Wilson)</th><th>p50 / p95</th><th>cost</th><th>threshold ${esc(pct(r.scenario!.threshold))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="legend"><span><i class="dot pass"></i>passed</span><span><i class="dot fail"></i>failed</span><span><i class="dot error"></i>error (not judged)</span><span><i class="dot other"></i>not counted</span></p>`;
}

function breakdown(r: Report): string {
  return r.providers
    .map((p) => {
      const rows = p.assertions.map((a) => {
        const w = a.passRate === null ? 0 : Math.round(a.passRate * 120);
        return `<tr><td>${esc(a.name)}</td><td>${esc(a.kind ?? '')}</td><td>${a.required ? 'yes' : ''}</td><td>${esc(a.weight)}</td><td>${a.passed}</td><td>${a.failed}</td><td>${a.unknown}</td><td><span class="barbg"><span class="bar" style="width:${w}px"></span></span>${pct(a.passRate)}</td></tr>`;
      });
      return `<h3>${esc(p.provider)}</h3><table><thead><tr><th>assertion</th><th>kind</th><th>required</th><th>weight</th><th>passed</th><th>failed</th><th>unknown</th><th>pass rate</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="8">no trial judged yet</td></tr>'}</tbody></table>`;
    })
    .join('');
}

function unitSection(u: ReportUnit, anchor: string, cast: CastEmbed | undefined, castId: string): string {
  const status = u.status === 'passed' ? 'ok' : u.status === 'error' ? 'warn' : u.status === 'failed' ? 'bad' : '';
  const assertions = u.assertions.length
    ? `<table><thead><tr><th></th><th>assertion</th><th>expected</th><th>found</th></tr></thead><tbody>${u.assertions
        .map(
          (a) =>
            `<tr><td>${a.status === 'passed' ? '<span class="ok">✓</span>' : a.status === 'unknown' ? '<span class="warn">?</span>' : '<span class="bad">✗</span>'}</td><td>${esc(a.name)}${a.required ? ' <small>(required)</small>' : ''}</td><td>${esc(a.expected ?? '')}</td><td>${esc(a.found ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const checks = u.checks.length ? `<p class="meta">checks: ${u.checks.map((c) => `${c.status === 'passed' ? '✓' : '✗'} <code>${esc(c.run)}</code>`).join(', ')}</p>` : '';
  const links = [u.transcript ? `<a href="${esc(encodeURI(u.transcript))}">transcript</a>` : '', u.cast ? `<a href="${esc(encodeURI(u.cast))}">cast</a>` : '', u.trajectory ? `<a href="${esc(encodeURI(u.trajectory))}">trajectory</a>` : '']
    .filter(Boolean)
    .join(' · ');
  let player = '';
  if (cast && 'text' in cast) player = `<div class="player" data-cast="${castId}"${cast.end !== undefined ? ` data-end="${esc(Math.max(0, cast.end - 0.001).toFixed(3))}"` : ''}></div><script type="application/json" id="${castId}">${scriptJson(cast.text)}</script>`;
  else if (cast) player = `<p class="note">${esc(cast.note)}</p>`;
  return `<section class="trial" id="${anchor}"><h3>${esc(u.id)} <small>${esc(u.provider)}${u.index !== null ? ` #${u.index}` : ''}</small></h3>
<p class="meta"><span class="${status}">${esc(u.status)}</span>${u.score !== null ? ` · score ${u.score.toFixed(2)}` : ''} · ${u.attempts} attempt${u.attempts === 1 ? '' : 's'} · ${ms(u.durationMs)}${u.flaky ? ` · <span class="warn">flaky (${esc(u.history.map((h) => h.status).join(' → '))})</span>` : ''}</p>
${u.reason ? `<p class="meta">${u.status === 'error' ? 'cause' : 'reason'}: ${esc(u.reason)}</p>` : ''}${assertions}${checks}${links ? `<p class="meta">${links}</p>` : ''}${player}</section>`;
}

/** A unified diff with each line classed by what it is (added, removed, hunk header, file header), escaped. */
export function diffHtml(patch: string): string {
  const lines = patch.replace(/\n$/, '').split('\n');
  // Lines before the first hunk are the file headers (`---`, `+++`): after it, `---x` is a removed line `--x`.
  let inHunk = false;
  const cls = (l: string): string => {
    if (l.startsWith('@@')) {
      inHunk = true;
      return 'hunk';
    }
    if (!inHunk) return 'head';
    return l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx';
  };
  return `<pre class="diff">${lines.map((l) => `<span class="${cls(l)}">${esc(l) || ' '}</span>`).join('')}</pre>`;
}

function comparisonHtml(r: Report): string {
  const c = r.comparison;
  if (!c) return '';
  const parts: string[] = ['<h2>Comparison</h2>'];
  parts.push(
    `<p class="meta">${
      c.basis === 'lanes'
        ? 'Each provider ran the same steps in its own workspace from one base; duration is each lane’s wall time, from its first start to its last end.'
        : 'Each provider’s trials together: status is whether its pass rate reached the threshold; duration is the median trial duration; approvals, commands and changes are summed over the trials.'
    }</p>`,
  );
  const head = `<tr><th></th>${c.providers.map((p) => `<th>${esc(p.provider)}</th>`).join('')}</tr>`;
  const body = comparisonFigures(c).map((f) => `<tr><th>${esc(f.label)}</th>${f.cells.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`);
  parts.push(`<table class="compare"><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`);
  const reasons = c.providers.filter((p) => p.reason);
  if (reasons.length) parts.push(`<ul>${reasons.map((p) => `<li>${esc(p.provider)}: ${esc(p.reason)}</li>`).join('')}</ul>`);
  if (c.significance.length) parts.push(`<ul>${c.significance.map((x) => `<li>${esc(significanceLine(x))}</li>`).join('')}</ul>`);
  const d = c.diffOfDiffs;
  if (!d) return parts.join('\n');
  parts.push('<h3>Diff of diffs</h3>');
  const byPath = new Map(d.files.map((f) => [f.path, f]));
  const how = (f: { changedBy: { provider: string; status: string; added: number; removed: number }[] }): string =>
    f.changedBy.map((x) => `${esc(x.provider)} (${esc(x.status)}, <span class="ok">+${x.added}</span> <span class="bad">−${x.removed}</span>)`).join(', ');
  const items: string[] = [];
  for (const [lane, paths] of Object.entries(d.onlyIn)) {
    if (paths.length) items.push(`<li>only ${esc(lane)} changed: ${paths.map((p) => `<code>${esc(p)}</code> (${esc(byPath.get(p)!.changedBy[0].status)})`).join(', ')}</li>`);
  }
  const shared = d.files.filter((f) => f.changedBy.length > 1);
  for (const f of shared.filter((x) => x.same)) items.push(`<li>changed the same way: <code>${esc(f.path)}</code> by ${how(f)}</li>`);
  for (const lane of d.missing) items.push(`<li>${esc(lane)}: its changes were not recorded (it did not finish)</li>`);
  if (!d.files.length && !d.missing.length) items.push('<li>no provider changed any file</li>');
  if (items.length) parts.push(`<ul>${items.join('')}</ul>`);
  for (const f of shared.filter((x) => !x.same)) {
    parts.push(`<h4>Changed differently: <code>${esc(f.path)}</code></h4><p class="meta">changed by ${how(f)}${f.unchangedBy.length ? `; left as it was by ${esc(f.unchangedBy.join(', '))}` : ''}</p>`);
    for (const x of f.diffs) {
      parts.push(`<p class="meta">${esc(x.from)} → ${esc(x.to)}${x.note ? ` (${esc(x.note)})` : ''}</p>${x.patch !== null ? diffHtml(x.patch) : ''}`);
    }
  }
  return parts.join('\n');
}

const BOOT = `
document.querySelectorAll('[data-cast]').forEach(function (el) {
  var data = JSON.parse(document.getElementById(el.getAttribute('data-cast')).textContent);
  var end = el.getAttribute('data-end');
  // The poster is the recording's last screen: what the agent left, before anyone presses play.
  var opts = { fit: 'width', idleTimeLimit: 2, terminalFontSize: '13px' };
  if (end) opts.poster = 'npt:' + end;
  try { AsciinemaPlayer.create({ data: data }, el, opts); }
  catch (e) { el.textContent = 'the recording could not be played: ' + e.message; }
});
`;

export function renderHtml(r: Report, o: { player: Player; casts: Record<string, CastEmbed> }): string {
  const anchors = new Map(r.units.map((u, i) => [u.id, `unit-${i + 1}`]));
  const title = `${r.kind === 'plan' ? 'Plan' : 'Scenario'}: ${r.goal}`;
  const parts: string[] = [];
  parts.push(`<h1>${esc(title)}</h1>`);
  parts.push(`<p class="meta">execution <code>${esc(r.exec)}</code> · file <code>${esc(r.file)}</code> · status <b>${esc(r.status)}</b> · ${esc(ms(r.durationMs))}${r.startedAt ? ` · started ${esc(r.startedAt)}` : ''}</p>`);
  if (r.unfinished) parts.push(`<p class="note">This execution is ${esc(r.unfinished)}: the report shows what is there so far.</p>`);
  if (r.scenario) {
    parts.push(`<p class="meta">threshold: pass rate ≥ ${esc(pct(r.scenario.threshold))} per provider · a trial passes at score ≥ ${esc(r.scenario.passScore)} with every required assertion · scenario <b class="${r.scenario.passed ? 'ok' : 'bad'}">${r.scenario.passed ? 'passed' : 'not passed'}</b></p>`);
  }
  if (r.evaluation) {
    const e = r.evaluation;
    const own = e.own.map((p) => `${p.provider} ${p.passed}/${p.passed + p.failed + p.errors} (${pct(p.passRate)})`).join(', ');
    parts.push(`<p class="note">Re-evaluated with <code>${esc(e.file)}</code> on ${esc(e.at)}${e.scenario.changed ? ' (the scenario changed since the run)' : ''}; the run's own results: ${esc(own || 'none')}.</p>`);
  }
  if (r.kind === 'scenario') {
    parts.push(comparisonHtml(r));
    parts.push('<h2>Trial matrix</h2>', matrix(r, anchors));
    if (r.comparisons.length) {
      parts.push(`<h2>Comparisons</h2><p class="meta">${esc(r.comparisons[0].test)}, passed vs not passed</p><ul>${r.comparisons.map((c) => `<li>${esc(c.a)} vs ${esc(c.b)}: p = ${esc(pValue(c.p))}</li>`).join('')}</ul>`);
    }
    parts.push('<h2>Assertions</h2>', breakdown(r));
    const errors = r.units.filter((u) => u.status === 'error');
    if (errors.length) parts.push(`<h2>Trial errors (not judged)</h2><ul>${errors.map((u) => `<li><a href="#${anchors.get(u.id)}">${esc(u.id)}</a> (${esc(u.provider)}): ${esc(u.reason ?? 'no cause recorded')}</li>`).join('')}</ul>`);
  } else {
    const rows = r.units.map((u) => `<tr><td><a class="dot ${DOT_CLASS[u.status] ?? 'other'}" href="#${anchors.get(u.id)}"></a> <a href="#${anchors.get(u.id)}">${esc(u.id)}</a></td><td>${esc(u.agent)}</td><td>${esc(u.provider)}</td><td>${esc(u.status)}</td><td>${esc(ms(u.durationMs))}</td><td>${u.attempts}</td></tr>`);
    parts.push(`<h2>Steps</h2><table><thead><tr><th>step</th><th>role</th><th>provider</th><th>status</th><th>time</th><th>attempts</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
    parts.push(comparisonHtml(r));
  }
  parts.push(`<h2>${r.kind === 'plan' ? 'Steps' : 'Trials'} and recordings</h2>`);
  r.units.forEach((u, i) => parts.push(unitSection(u, anchors.get(u.id)!, o.casts[u.id], `cast-${i + 1}`)));
  if (r.errors.length) parts.push(`<h2>Errors</h2><ul>${r.errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`);
  parts.push(`<script type="application/json" id="report-data">${scriptJson({ ...r, units: r.units.map((u) => u.id) })}</script>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:; worker-src blob:; connect-src data: blob:">
<title>${esc(title)}</title>
<style>${inlineStyle(o.player.css)}</style><style>${STYLE}</style></head>
<body>
${parts.join('\n')}
<script>${inlineScript(o.player.js)}</script>
<script>${BOOT}</script>
</body></html>
`;
}
