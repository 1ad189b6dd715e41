/**
 * The loss-curve panel: renders the panel state (src/shared/panelState.ts) and sends the
 * user's actions back over the typed protocol. Runs in the webview (a browser), never in
 * the extension host.
 */
import uPlot from 'uplot';
import type { ExtensionToPanel, PanelState, PanelToExtension, RunState, LayerRow, WireNumber } from '../shared/panelProtocol';
import { fromWire } from '../shared/panelProtocol';
import { EMPTY_PANEL_STATE, isPanelState, isRunning, newerState, reducePanel } from '../shared/panelState';
import { batchLossRows, ChartRowsCache, decimateRows, describeNonFinite, formatLoss, formatTick, isMultiSeed, logScaleTicks, seedNaNMarkers, seriesLayout, verdictHeadline } from './view';

interface VsCodeApi {
  postMessage(msg: PanelToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
/** The state the extension embedded in the page when it built it, if any. */
function embeddedState(): PanelState | undefined {
  const text = document.getElementById('initial-state')?.textContent;
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isPanelState(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function savedState(): PanelState | undefined {
  const saved = vscode.getState();
  return isPanelState(saved) ? saved : undefined;
}

// The page is rebuilt when the panel is shown again (the webview's saved state is then the newer)
// and after a window reload (the embedded state, from the extension's copy, is then the newer).
let state: PanelState = newerState(savedState(), embeddedState()) ?? EMPTY_PANEL_STATE;
let chart: uPlot | undefined;
let chartKey = '';
let renderQueued = false;
/** What the controls were built for (see render). */
let controlsKey = '';
const rowsCache = new ChartRowsCache();
/** Milliseconds spent in the last render, read by the performance test. */
let lastRenderMs = 0;

function post(msg: PanelToExtension): void {
  vscode.postMessage(msg);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Series colours from the theme: VS Code's chart palette, readable in light, dark and high contrast. */
function palette(): string[] {
  return [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
  ];
}

/** A theme colour (`#rrggbb` or `#rgb`) with an alpha; other forms get a neutral grey. */
function withAlpha(color: string, alpha: number): string {
  const hex = color.trim().replace(/^#/, '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) return `rgba(128, 128, 128, ${alpha})`;
  const n = parseInt(full, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Size of a seed's NaN marker (a triangle on the chart's top edge), in CSS pixels. */
const SEED_MARKER = 10;

/**
 * Each seed's first NaN: a red triangle on the top edge at its epoch (stacked down where several
 * seeds went NaN in the same epoch), drawn on the canvas (so the PNG export has them) and
 * mirrored by elements in uPlot's overlay that carry the words as a tooltip and for screen readers.
 */
function drawSeedMarkers(u: uPlot, red: string): void {
  const ctx = u.ctx;
  const dpr = devicePixelRatio;
  const over = u.over;
  for (const old of Array.from(over.querySelectorAll('.seed-nan'))) old.remove();
  for (const run of state.runs) {
    for (const m of seedNaNMarkers(run)) {
      const xCss = u.valToPos(m.epoch, 'x');
      const yCss = 1 + m.stack * (SEED_MARKER + 2);
      const x = u.bbox.left + xCss * dpr;
      const y = u.bbox.top + yCss * dpr;
      const half = (SEED_MARKER / 2) * dpr;
      ctx.save();
      ctx.fillStyle = red;
      ctx.beginPath();
      ctx.moveTo(x - half, y);
      ctx.lineTo(x + half, y);
      ctx.lineTo(x, y + SEED_MARKER * dpr);
      ctx.closePath();
      ctx.fill();
      ctx.font = `${11 * dpr}px sans-serif`;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(`seed ${m.seed}`, x + half + 2 * dpr, y - 1 * dpr);
      ctx.restore();
      const hit = document.createElement('div');
      hit.className = 'seed-nan';
      hit.title = m.title;
      hit.setAttribute('role', 'img');
      hit.setAttribute('aria-label', m.title);
      hit.style.left = `${xCss - SEED_MARKER / 2}px`;
      hit.style.top = `${yCss}px`;
      hit.style.width = `${SEED_MARKER}px`;
      hit.style.height = `${SEED_MARKER}px`;
      over.append(hit);
    }
  }
}

function renderChart(container: HTMLElement): void {
  const runs = state.runs;
  const colors = palette();
  const fg = cssVar('--vscode-foreground', '#cccccc');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)');
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const key = `${runs.map((r) => `${r.info.runId}${isMultiSeed(r) ? ':seeds' : ''}`).join('|')}|${state.logScale}|${colors.join()}|${fg}`;
  const width = Math.max(320, container.clientWidth || 640);
  // More points than pixels cannot be seen: draw about two per pixel column.
  const data = decimateRows(rowsCache.update(runs, state.logScale), 2 * width);
  if (!chart || key !== chartKey || !container.contains(chart.root)) {
    chart?.destroy();
    chartKey = key;
    const series: uPlot.Series[] = [{ label: 'epoch' }];
    const bands: uPlot.Band[] = [];
    const layout = seriesLayout(runs);
    runs.forEach((r, i) => {
      const c = colors[i % colors.length];
      const seeds = layout[i].band ? ` (median of ${r.seedCount ?? r.info.seeds ?? r.seedRuns?.length ?? ''} seeds)` : '';
      series.push({ label: `${r.info.label}: loss${seeds}`, stroke: c, width: 2, spanGaps: false, points: { show: false } });
      series.push({ label: `${r.info.label}: val_loss`, stroke: c, width: 1.5, dash: [6, 4], spanGaps: false, points: { show: false } });
      const band = layout[i].band;
      if (band) {
        // The spread over the seeds: its edges faint, the area between them filled.
        series.push({ label: `${r.info.label}: max over seeds`, stroke: withAlpha(c, 0.45), width: 1, spanGaps: false, points: { show: false } });
        series.push({ label: `${r.info.label}: min over seeds`, stroke: withAlpha(c, 0.45), width: 1, spanGaps: false, points: { show: false } });
        bands.push({ series: [band.high, band.low], fill: withAlpha(c, 0.2) });
      }
    });
    const opts: uPlot.Options = {
      width,
      height: 300,
      series,
      bands,
      // The x axis spans the planned epochs from the start, so the curve shows how far the run has come
      // (and a run that ends at epoch 0 is not drawn on uPlot's default range of 0 to 100).
      scales: { x: { time: false, range: () => [0, Math.max(plannedLastEpoch(), 1)] }, y: state.logScale ? { distr: 3, log: 10 } : {} },
      axes: [
        // Epochs are whole numbers.
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000] },
        {
          stroke: fg,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          label: 'loss',
          size: 70,
          // On a log scale, label and grid the powers of ten only: the 2..9 lines between them are noise
          // (within less than a decade, round values instead: a lone "1" says nothing of the curve's level).
          splits: state.logScale ? (_u, _axis, min, max) => logScaleTicks(min, max) : undefined,
          // Those are thinned already: label every one (uPlot's own filter would drop most labels over a range of 30 decades).
          filter: state.logScale ? (_u, splits) => splits : undefined,
          values: (_u, vals) => vals.map((v) => (v === null ? '' : formatTick(v))),
        },
      ],
      legend: { show: true },
      hooks: {
        // The first non-finite point of each run: a vertical marker where finite numbers end.
        draw: [
          (u) => {
            const ctx = u.ctx;
            for (const run of state.runs) {
              if (!run.firstNonFinite) continue;
              const x = u.valToPos(run.firstNonFinite.epoch, 'x', true);
              ctx.save();
              ctx.strokeStyle = red;
              ctx.lineWidth = 2 * devicePixelRatio;
              ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillStyle = red;
              ctx.font = `${12 * devicePixelRatio}px sans-serif`;
              // uPlot leaves the context's alignment as its last axis label had it.
              ctx.textAlign = 'left';
              ctx.textBaseline = 'alphabetic';
              ctx.fillText(`NaN (epoch ${run.firstNonFinite.epoch})`, x + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
              ctx.restore();
            }
            drawSeedMarkers(u, red);
          },
        ],
      },
    };
    container.replaceChildren();
    chart = new uPlot(opts, data, container);
  } else {
    chart.setData(data);
    if (chart.width !== width) chart.setSize({ width, height: 300 });
  }
}

function layerTable(title: string, rows: LayerRow[], offending: string | null): HTMLElement {
  const fmt = (v: WireNumber | undefined) => (v === undefined ? '' : formatLoss(fromWire(v) ?? NaN));
  const table = el('table', { class: 'layers' });
  table.append(el('caption', {}, title));
  table.append(el('thead', {}, el('tr', {}, ...['layer', 'class', 'activation min', 'activation max', 'gradient norm', 'weight norm'].map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr', r.layer === offending ? { class: 'offending', 'aria-label': `${r.layer}: first non-finite layer` } : {});
    tr.append(el('th', { scope: 'row' }, r.layer), el('td', {}, r.className), el('td', {}, fmt(r.activationMin)), el('td', {}, fmt(r.activationMax)), el('td', {}, fmt(r.gradientNorm)), el('td', {}, fmt(r.weightNorm)));
    body.append(tr);
  }
  table.append(body);
  // Six columns outgrow a panel beside the editor: the table scrolls sideways inside its own box, not the page.
  return el('div', { class: 'table-scroll', role: 'region', 'aria-label': title, tabindex: '0' }, table);
}

function batchLossTable(run: RunState): HTMLElement | null {
  const rows = batchLossRows(run);
  if (rows.length === 0) return null;
  const title = 'Batch losses up to the first non-finite step';
  // The title sits above the table, not in a caption: a caption wraps to the width of this narrow table.
  const table = el('table', { class: 'layers batch-losses', 'aria-label': title });
  table.append(el('thead', {}, el('tr', {}, ...['step', 'loss', 'growth'].map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const r of rows) {
    const step = `epoch ${r.epoch}, batch ${r.batch}`;
    const tr = el('tr', r.finite ? {} : { class: 'offending', 'aria-label': `${step}: loss ${r.loss}` });
    tr.append(el('th', { scope: 'row' }, step), el('td', {}, r.loss), el('td', {}, r.growth));
    body.append(tr);
  }
  table.append(body);
  const heading = el('p', { class: 'table-title' }, title, el('span', { class: 'caption-note' }, " (each batch's own loss, not the running mean Keras prints)"));
  return el('div', { class: 'table-scroll', role: 'region', 'aria-label': title, tabindex: '0' }, heading, table);
}

/** A run over several seeds: one row per seed, its verdict, final loss and where it went NaN. */
function seedsTable(run: RunState): HTMLElement | null {
  const tracks = run.seedRuns;
  if (!tracks || tracks.length === 0) return null;
  const title = 'Seeds';
  const table = el('table', { class: 'layers seeds', 'aria-label': title });
  table.append(el('thead', {}, el('tr', {}, ...['seed', 'verdict', 'final loss', 'first NaN'].map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const t of tracks) {
    const final = t.finalLoss !== undefined ? formatLoss(fromWire(t.finalLoss)) : t.verdict ? '-' : 'training...';
    const nan = t.nonFinite ? `epoch ${t.nonFinite.epoch}, batch ${t.nonFinite.batch}` : '';
    const tr = el('tr', t.nonFinite ? { class: 'offending' } : {});
    tr.append(el('th', { scope: 'row' }, String(t.seed)), el('td', {}, t.verdict ?? ''), el('td', {}, final), el('td', {}, nan));
    body.append(tr);
  }
  table.append(body);
  return el('div', { class: 'table-scroll', role: 'region', 'aria-label': title, tabindex: '0' }, el('p', { class: 'table-title' }, title), table);
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function runSection(run: RunState): HTMLElement {
  const s = el('section', { class: 'run', 'data-run': run.info.runId, 'aria-label': `run ${run.info.label}` });
  s.append(el('h2', {}, `${run.info.label}`));
  const facts = el('dl', { class: 'facts' });
  const fact = (k: string, v: string) => facts.append(el('dt', {}, k), el('dd', {}, v));
  fact('Model', `${run.info.model} (${run.info.file})`);
  fact(run.info.engine === 'keras' ? 'Engine' : 'Backend', run.backend ?? 'starting...');
  const seedCount = run.seedCount ?? run.info.seeds ?? 1;
  fact(seedCount > 1 ? 'Seeds' : 'Seed', seedCount > 1 ? `${run.info.seed}-${run.info.seed + seedCount - 1} (${seedCount}, one after the other)` : String(run.info.seed));
  fact('Data', run.info.data);
  if (run.result) fact('Time', `${(run.result.timings.totalMs / 1000).toFixed(2)} s${run.result.timings.firstPointMs !== undefined ? `, first point after ${run.result.timings.firstPointMs} ms` : ''}`);
  s.append(facts);
  if (run.info.synthetic) s.append(el('p', { class: 'warning', role: 'note' }, 'Some data is a synthetic stand-in (its shape and scale follow the code): the curve shows what data like it does, not your exact data.'));
  if (run.info.findings.length > 0) {
    const ul = el('ul', { class: 'findings' });
    for (const f of run.info.findings) {
      ul.append(el('li', { class: `sev-${f.severity}` }, el('code', {}, f.rule), ` ${f.message}`, ...(f.bearing ? [el('span', { class: 'bearing' }, ` - ${f.bearing}`)] : [])));
    }
    s.append(el('h3', {}, 'Findings for this model'), ul);
  }
  const seeds = seedsTable(run);
  if (seeds) s.append(seeds);
  const offending = run.firstNonFinite?.layer ?? null;
  const batchLosses = batchLossTable(run);
  if (batchLosses) s.append(batchLosses);
  if (run.layersLastFinite) s.append(layerTable('Layers at the last finite step', run.layersLastFinite, null));
  if (run.layersFirstNonFinite) s.append(layerTable('Layers at the first non-finite step', run.layersFirstNonFinite, offending));
  return s;
}

function buildControls(primary: RunState, latest: RunState, running: boolean): HTMLElement {
  const controls = el('div', { id: 'controls', class: 'controls', role: 'toolbar', 'aria-label': 'reproduction controls' });
  const logBox = el('input', { type: 'checkbox', id: 'log-scale' });
  logBox.checked = state.logScale;
  logBox.addEventListener('change', () => {
    state = { ...state, logScale: logBox.checked };
    vscode.setState(state);
    post({ type: 'setLogScale', value: logBox.checked });
    queueRender();
  });
  controls.append(el('label', { for: 'log-scale' }, logBox, ' Logarithmic scale'));
  if (running) controls.append(button('Cancel', () => post({ type: 'cancel', runId: latest.info.runId }), { id: 'cancel' }));
  const other = primary.info.compareWith;
  if (other && !running && state.runs.length === 1) {
    controls.append(button(other === 'keras' ? 'Compare engines: run it in your Keras' : 'Compare engines: run it in TensorFlow.js', () => post({ type: 'compareEngines', runId: primary.info.runId }), { id: 'compare-engines' }));
  }
  const fix = primary.info.suggestedFix;
  if (fix && !running) {
    if (state.runs.length === 1) controls.append(button(`Try the suggested fix: ${fix.title}`, () => post({ type: 'tryFix', runId: primary.info.runId, fixId: fix.id }), { id: 'try-fix' }));
    controls.append(button('Apply to code', () => post({ type: 'applyFix', runId: primary.info.runId, fixId: fix.id }), { id: 'apply-fix' }));
  }
  controls.append(
    button('Export CSV', () => post({ type: 'export', format: 'csv' }), { id: 'export-csv' }),
    button('Export PNG', () => {
      const canvas = chart?.root.querySelector('canvas');
      if (canvas) post({ type: 'exportPng', dataUrl: canvas.toDataURL('image/png') });
    }, { id: 'export-png' }),
    button('Export JSON', () => post({ type: 'export', format: 'json' }), { id: 'export-json' }),
  );
  return controls;
}

/** The last epoch any run on the chart was planned to reach or has reached (0-based). */
function plannedLastEpoch(): number {
  return Math.max(0, ...state.runs.map((r) => Math.max(r.info.epochs - 1, r.points[r.points.length - 1]?.epoch ?? 0)));
}

function render(): void {
  renderQueued = false;
  const t0 = performance.now();
  // Saved once per frame, not per message: a long history is costly to serialise.
  vscode.setState(state);
  const app = document.getElementById('app');
  if (!app) return;
  if (state.runs.length === 0) {
    app.replaceChildren(el('p', { class: 'empty' }, 'Run "nanguard: Reproduce training" to see the loss curve here.'));
    chart?.destroy();
    chart = undefined;
    lastRenderMs = performance.now() - t0;
    return;
  }
  const primary = state.runs[0];
  const latest = state.runs[state.runs.length - 1];

  let header = document.getElementById('header');
  let chartBox = document.getElementById('chart');
  let details = document.getElementById('details');
  if (!header || !chartBox || !details) {
    header = el('header', { id: 'header' });
    chartBox = el('div', { id: 'chart', role: 'img', 'aria-label': 'training and validation loss per epoch' });
    details = el('div', { id: 'details' });
    app.replaceChildren(header, chartBox, details);
  }

  // One verdict line per run; the latest run's carries the id the tests and screen readers look for.
  const verdicts = state.runs.map((run) =>
    el(
      'p',
      { ...(run === latest ? { id: 'verdict' } : {}), class: `verdict verdict-${run.result?.verdict ?? (run.error ? 'error' : 'running')}` },
      ...(state.runs.length > 1 ? [el('span', { class: 'run-label' }, `${run.info.label}: `)] : []),
      verdictHeadline(run),
    ),
  );
  // The controls are rebuilt only when the set of buttons changes: rebuilding them on every
  // frame of a run would swallow a click that spans two frames and drop the keyboard focus.
  const fix = primary.info.suggestedFix;
  const running = isRunning(latest);
  const key = JSON.stringify([running ? latest.info.runId : '', fix && !running ? [fix.id, primary.info.runId, state.runs.length === 1] : null]);
  let controls = document.getElementById('controls');
  if (!controls || key !== controlsKey) {
    controls = buildControls(primary, latest, running);
    controlsKey = key;
  }
  const logBox = controls.querySelector<HTMLInputElement>('#log-scale');
  if (logBox) logBox.checked = state.logScale;
  const nonFinite = state.runs.filter((r) => r.firstNonFinite).map((r) => el('p', { class: 'nan-marker' }, `${r.info.label}: ${describeNonFinite(r)}`));
  // A run over several seeds: what happened over them, in words, under the verdicts.
  const statements = state.runs
    .filter((r) => r.result?.seeds)
    .map((r) => el('p', { class: 'seeds-statement', ...(r === latest ? { id: 'seeds-statement' } : {}) }, ...(state.runs.length > 1 ? [el('span', { class: 'run-label' }, `${r.info.label}: `)] : []), r.result!.seeds!.statement));
  const title = el('h1', {}, `${primary.info.model}`, el('span', { class: 'subtitle' }, ` ${primary.info.file}`));
  const text = document.getElementById('header-text') ?? el('div', { id: 'header-text' });
  text.replaceChildren(title, ...verdicts, ...statements, ...nonFinite);
  if (text.parentElement !== header || controls.parentElement !== header || header.firstChild !== text) header.replaceChildren(text, controls);
  renderChart(chartBox);
  details.replaceChildren(...state.runs.map(runSection), ...state.runs.filter((r) => r.error).map((r) => el('p', { class: 'error', role: 'alert' }, `${r.info.label}: ${r.error}`)));
  lastRenderMs = performance.now() - t0;
}

function queueRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(render);
}

function receive(msg: ExtensionToPanel): void {
  if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
  state = reducePanel(state, msg);
  queueRender();
}
window.addEventListener('message', (event: MessageEvent) => receive(event.data as ExtensionToPanel));

// Theme changes switch the body's class: re-read the colours.
new MutationObserver(() => {
  chartKey = '';
  queueRender();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
window.addEventListener('resize', queueRender);

// For the browser tests: render synchronously and report the cost.
(window as unknown as { nanguardPanel: unknown }).nanguardPanel = {
  receive,
  renderNow: () => {
    render();
    return lastRenderMs;
  },
  state: () => state,
};

render();
post({ type: 'ready' });
